package dev.mailroom.events;

import java.time.Instant;
import java.util.List;

/**
 * What the tracking endpoints need of a message: whose it is, its recipients by position (to, cc,
 * bcc order, as tracking tokens name them) with when each was delivered (null: not yet, or not
 * recorded yet), and the original URLs of its tracked links by link index.
 */
public record TrackedMessage(String id, String tenantId, String domainId, Instant createdAt, List<Recipient> recipients, List<String> links) {
    public TrackedMessage {
        recipients = List.copyOf(recipients);
        links = List.copyOf(links);
    }

    public record Recipient(String email, Instant deliveredAt) {}

    /** A message accepted but not yet in the database: nothing delivered yet. */
    public static TrackedMessage pending(MessageRecord record) {
        return new TrackedMessage(record.id(), record.tenantId(), record.domainId(), record.createdAt(),
                record.recipients().stream().map(r -> new Recipient(r.email(), null)).toList(), record.links());
    }
}
