package dev.mailroom.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which header fields a signature covers: every field of {@link #SIGNED} the message has,
 * and the fields of {@link #OVERSIGNED} once more than present, so that a field of that
 * name added later (a second From) breaks the signature.
 */
public final class HeaderPolicy {
    static final List<String> SIGNED = List.of("from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id",
            "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "list-id",
            "list-unsubscribe", "list-unsubscribe-post", "feedback-id");
    static final Set<String> OVERSIGNED = Set.of("from", "subject", "reply-to");

    private HeaderPolicy() {}

    /** The h= list for a message, in policy order. */
    static List<String> namesFor(MessageParts message) {
        var names = new ArrayList<String>();
        for (var name : SIGNED) {
            long count = message.headers().stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(name)).count();
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
            if (OVERSIGNED.contains(name) && (count > 0 || name.equals("from"))) {
                names.add(name);
            }
        }
        return names;
    }
}
