package dev.mailroom.submission;

import dev.mailroom.message.Attachment;
import dev.mailroom.message.EmailAddress;
import dev.mailroom.tenancy.Stream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A message as the send API takes it, already checked field by field. {@code stream} is only
 * needed when the From domain is set up for more than one stream; {@code sendAt} null sends now.
 */
public record SendRequest(EmailAddress from, List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc,
        EmailAddress replyTo, String subject, String text, String html, Map<String, String> headers, List<Attachment> attachments,
        List<String> tags, Map<String, String> metadata, boolean trackOpens, boolean trackClicks, Instant sendAt, Stream stream) {

    public SendRequest {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        headers = Map.copyOf(headers);
        attachments = List.copyOf(attachments);
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    /** Every envelope recipient in to, cc, bcc order. */
    public List<EmailAddress> recipients() {
        var all = new java.util.ArrayList<EmailAddress>(to.size() + cc.size() + bcc.size());
        all.addAll(to);
        all.addAll(cc);
        all.addAll(bcc);
        return all;
    }
}
