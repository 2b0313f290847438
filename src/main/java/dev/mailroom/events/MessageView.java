package dev.mailroom.events;

import java.time.Instant;
import java.util.List;

/** A message with each recipient's current state: the answer of {@code GET /v1/messages/{id}}. */
public record MessageView(String id, String tenantId, String domainId, String from, String subject, Instant sendAt,
        List<String> tags, java.util.Map<String, String> metadata, Instant createdAt, List<RecipientView> recipients) {

    public record RecipientView(String email, RecipientStatus status, String reason, int attempts, String lastResponse, Instant updatedAt) {}

    /** A message accepted but not yet in the database: every recipient as accepted. */
    public static MessageView pending(MessageRecord record) {
        return new MessageView(record.id(), record.tenantId(), record.domainId(), record.from(), record.subject(), record.sendAt(),
                record.tags(), record.metadata(), record.createdAt(), record.recipients().stream()
                        .map(r -> new RecipientView(r.email(), r.status(), r.reason(), 0, null, record.createdAt())).toList());
    }

    MessageView withRecipients(List<RecipientView> newRecipients) {
        return new MessageView(id, tenantId, domainId, from, subject, sendAt, tags, metadata, createdAt, newRecipients);
    }
}
