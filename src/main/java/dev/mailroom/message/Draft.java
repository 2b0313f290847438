package dev.mailroom.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a message is made of before it becomes bytes. {@code headers} are the client's own
 * (checked by {@link HeaderRules}); {@code listUnsubscribe} holds the URIs of the
 * List-Unsubscribe header (one-click HTTPS first), empty for transactional mail.
 */
public record Draft(
        EmailAddress from,
        List<EmailAddress> to,
        List<EmailAddress> cc,
        EmailAddress replyTo,
        String subject,
        String text,
        String html,
        Map<String, String> headers,
        List<Attachment> attachments,
        String messageId,
        Instant date,
        List<String> listUnsubscribe,
        String feedbackId) {

    public Draft {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        headers = Map.copyOf(headers);
        attachments = List.copyOf(attachments);
        listUnsubscribe = List.copyOf(listUnsubscribe);
        if (text == null && html == null) {
            throw new IllegalArgumentException("a message needs text or html");
        }
        if (messageId == null || !messageId.matches("[\\x21-\\x7e&&[^<>@]]+@[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("not a Message-ID (left@domain, printable ASCII): " + messageId);
        }
        for (var uri : listUnsubscribe) {
            if (!uri.matches("(https|mailto):[\\x21-\\x7e&&[^<>]]+")) {
                throw new IllegalArgumentException("not a List-Unsubscribe URI: " + uri);
            }
        }
        if (feedbackId != null && !feedbackId.matches("[\\x21-\\x7e]{1,200}")) {
            throw new IllegalArgumentException("not a Feedback-ID: " + feedbackId);
        }
    }
}
