package dev.mailroom.message;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What a client may put in a custom header: not one Mailroom writes itself, and nothing that could inject lines. */
public final class HeaderRules {
    /** Headers Mailroom writes (or that only transport may add); a client's copy would conflict or forge. */
    public static final Set<String> OWNED = Set.of("from", "to", "cc", "bcc", "reply-to", "sender", "subject", "date",
            "message-id", "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "dkim-signature",
            "return-path", "received", "list-unsubscribe", "list-unsubscribe-post", "feedback-id", "authentication-results",
            "received-spf", "delivered-to", "x-original-to");
    /** Header families only relays write. */
    private static final java.util.List<String> OWNED_PREFIXES = java.util.List.of("resent-", "arc-");
    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]{1,76}");
    static final int MAX_VALUE = 998 - 80;

    private HeaderRules() {}

    /** Why a header cannot be sent as given, or empty when it can. */
    public static Optional<String> problem(String name, String value) {
        if (!FIELD_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a header name (printable ASCII, no colon or space)");
        }
        var lower = name.toLowerCase(Locale.ROOT);
        if (OWNED.contains(lower) || OWNED_PREFIXES.stream().anyMatch(lower::startsWith)) {
            return Optional.of(name + " is written by Mailroom; set it through its own field");
        }
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            return Optional.of("the value of " + name + " contains a line break or NUL");
        }
        if (value.length() > MAX_VALUE) {
            return Optional.of("the value of " + name + " is longer than " + MAX_VALUE + " characters");
        }
        return Optional.empty();
    }
}
