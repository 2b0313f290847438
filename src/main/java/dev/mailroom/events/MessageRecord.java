package dev.mailroom.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An accepted message as the API and the event log know it. {@code sendAt} is null for mail
 * sent at once; {@code source} is {@code api} or {@code smtp}; {@code links} are the original URLs
 * of tracked links, by link index.
 */
public record MessageRecord(String id, String tenantId, String domainId, String from, String subject, String source,
        Instant sendAt, List<String> tags, Map<String, String> metadata, List<String> links, int sizeBytes, Instant createdAt, List<Recipient> recipients) {

    public MessageRecord {
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
        links = List.copyOf(links);
        recipients = List.copyOf(recipients);
    }

    /**
     * One recipient: {@code position} in to, cc, bcc order; {@code spoolIndex} its index in the
     * spool, null when it was suppressed; {@code reason} why it was suppressed.
     */
    public record Recipient(int position, Integer spoolIndex, String email, RecipientStatus status, String reason) {}
}
