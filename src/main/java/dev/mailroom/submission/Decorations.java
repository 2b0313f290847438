package dev.mailroom.submission;

import dev.mailroom.message.TrackingRewriter;
import dev.mailroom.message.TrackingToken;
import dev.mailroom.message.TrackingToken.Target;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What Mailroom adds to a client's message for the mailbox providers and for tracking:
 * List-Unsubscribe URIs (one-click HTTPS on the branded tracking host, mailto on the return-path
 * host), the Feedback-ID, and tracked links and open pixel. A message with several recipients
 * has one body, so its tokens name the message rather than a recipient.
 */
public final class Decorations {
    private static final Pattern FEEDBACK_PART = Pattern.compile("[A-Za-z0-9._-]{1,40}");
    private final TrackingToken tokens;
    private final TrackingRewriter rewriter;

    public Decorations(TrackingToken tokens) {
        this.tokens = tokens;
        this.rewriter = new TrackingRewriter(tokens);
    }

    List<String> listUnsubscribe(SendingDomain sending, String messageId, int recipients) {
        var target = Target.unsubscribe(messageId, recipient(recipients));
        return List.of(tokens.url(sending.trackingBase(), target), "mailto:" + tokens.unsubscribeAddress(target, sending.returnPathHost()));
    }

    TrackingRewriter.Rewritten track(SendingDomain sending, String messageId, int recipients, String html, String text, boolean opens,
            boolean clicks) {
        return rewriter.rewrite(html, text, new TrackingRewriter.Settings(sending.trackingBase(), messageId, recipient(recipients), opens, clicks));
    }

    /**
     * Gmail's {@code Feedback-ID: campaign:stream:domain:sender}: its feedback loop reports
     * complaint rates per value of each part, and the last part (the tenant) identifies the sender.
     */
    static String feedbackId(SendingDomain sending, List<String> tags) {
        var campaign = tags.stream().filter(tag -> FEEDBACK_PART.matcher(tag).matches()).findFirst().orElse("none");
        return campaign + ":" + sending.domain().stream().name().toLowerCase(java.util.Locale.ROOT) + ":" + sending.domain().id() + ":"
                + sending.tenant().id();
    }

    private static OptionalInt recipient(int recipients) {
        return recipients == 1 ? OptionalInt.of(0) : OptionalInt.empty();
    }
}
