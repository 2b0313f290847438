package dev.mailroom.api;

import dev.mailroom.message.Attachment;
import dev.mailroom.message.EmailAddress;
import dev.mailroom.message.HeaderRules;
import dev.mailroom.submission.SendRequest;
import dev.mailroom.tenancy.Stream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reads the JSON of a message to send into a {@link SendRequest}, naming every field at fault. */
final class MessageRequests {
    static final String[] FIELDS = {"from", "to", "cc", "bcc", "reply_to", "subject", "text", "html", "headers", "attachments", "tags",
            "metadata", "track_opens", "track_clicks", "send_at", "stream"};
    static final Duration MAX_SCHEDULE = Duration.ofDays(7);
    static final int MAX_ATTACHMENTS = 100;
    static final int MAX_TAGS = 10;
    static final int MAX_TAG_LENGTH = 100;
    static final int MAX_SUBJECT = 998;
    static final int MAX_METADATA_KEYS = 50;
    static final int MAX_METADATA_KEY = 40;
    static final int MAX_METADATA_VALUE = 500;
    private final Clock clock;

    MessageRequests(Clock clock) {
        this.clock = clock;
    }

    /** The request, or null when the body has problems (they are in {@code body} for {@link Body#finish}). */
    SendRequest read(Body body) {
        var from = address(body, "from", body.requiredString("from"));
        var to = addresses(body, "to", body.optionalStringList("to"));
        if (to != null && to.isEmpty()) {
            body.error("to", "is required: one or more addresses");
        }
        var cc = addresses(body, "cc", body.optionalStringList("cc"));
        var bcc = addresses(body, "bcc", body.optionalStringList("bcc"));
        var replyToText = body.optionalString("reply_to");
        var replyTo = replyToText == null ? null : address(body, "reply_to", replyToText);
        var subject = body.requiredString("subject");
        if (subject != null && (subject.length() > MAX_SUBJECT || subject.chars().anyMatch(c -> c < 0x20 && c != '\t'))) {
            body.error("subject", "must be at most " + MAX_SUBJECT + " characters without line breaks or control characters");
        }
        var text = body.optionalString("text");
        var html = body.optionalString("html");
        if (text == null && html == null) {
            body.error("text", "text or html is required");
        }
        var headers = body.optionalStringMap("headers");
        if (headers != null) {
            headers.forEach((name, value) -> HeaderRules.problem(name, value).ifPresent(problem -> body.error("headers." + name, problem)));
        }
        var attachments = attachments(body);
        var tags = body.optionalStringList("tags");
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                body.error("tags", "has " + tags.size() + " tags; at most " + MAX_TAGS + " are allowed");
            }
            for (int i = 0; i < tags.size(); i++) {
                var tag = tags.get(i);
                if (tag.isBlank() || tag.length() > MAX_TAG_LENGTH || tag.chars().anyMatch(c -> c < 0x20)) {
                    body.error("tags[" + i + "]", "must be 1 to " + MAX_TAG_LENGTH + " characters without control characters");
                }
            }
        }
        var metadata = body.optionalStringMap("metadata");
        if (metadata != null) {
            if (metadata.size() > MAX_METADATA_KEYS) {
                body.error("metadata", "has more than " + MAX_METADATA_KEYS + " keys");
            }
            metadata.forEach((key, value) -> {
                if (key.isEmpty() || key.length() > MAX_METADATA_KEY) {
                    body.error("metadata", "key '" + key + "' must be 1 to " + MAX_METADATA_KEY + " characters");
                }
                if (value.length() > MAX_METADATA_VALUE) {
                    body.error("metadata." + key, "is longer than " + MAX_METADATA_VALUE + " characters");
                }
            });
        }
        var trackOpens = body.optionalBoolean("track_opens");
        var trackClicks = body.optionalBoolean("track_clicks");
        var sendAt = body.optionalInstant("send_at");
        if (sendAt != null && sendAt.isAfter(clock.instant().plus(MAX_SCHEDULE))) {
            body.error("send_at", "may be at most " + MAX_SCHEDULE.toDays() + " days ahead");
        }
        var stream = body.optionalEnum("stream", Stream.class, null);
        if (from == null || to == null || cc == null || bcc == null || (replyToText != null && replyTo == null) || subject == null
                || attachments == null) {
            return null;
        }
        try {
            return new SendRequest(from, to, cc, bcc, replyTo, subject, text, html, headers == null ? Map.of() : headers, attachments,
                    tags == null ? List.of() : tags, metadata == null ? Map.of() : metadata, trackOpens, trackClicks, sendAt, stream);
        } catch (IllegalArgumentException | NullPointerException e) {
            body.error("", e.getMessage());
            return null;
        }
    }

    private static EmailAddress address(Body body, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return EmailAddress.parse(text);
        } catch (IllegalArgumentException e) {
            body.error(field, e.getMessage());
            return null;
        }
    }

    private static List<EmailAddress> addresses(Body body, String field, List<String> texts) {
        if (texts == null) {
            return List.of();
        }
        var result = new ArrayList<EmailAddress>();
        for (int i = 0; i < texts.size(); i++) {
            var address = address(body, field + "[" + i + "]", texts.get(i));
            if (address == null) {
                return null;
            }
            result.add(address);
        }
        return result;
    }

    private static List<Attachment> attachments(Body body) {
        var items = body.optionalObjectList("attachments", MAX_ATTACHMENTS, "filename", "content_type", "content");
        if (items == null) {
            return List.of();
        }
        var result = new ArrayList<Attachment>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            var filename = item.requiredString("filename");
            var contentType = item.requiredString("content_type");
            var content = item.requiredString("content");
            if (filename == null || contentType == null || content == null) {
                ok = false;
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(content.replaceAll("[\\r\\n ]", ""));
            } catch (IllegalArgumentException e) {
                item.error("content", "is not base64: " + e.getMessage());
                ok = false;
                continue;
            }
            try {
                result.add(new Attachment(filename, contentType, bytes));
            } catch (IllegalArgumentException e) {
                item.error(e.getMessage().startsWith("content_type") ? "content_type" : "filename", e.getMessage());
                ok = false;
            }
        }
        return ok ? result : null;
    }
}
