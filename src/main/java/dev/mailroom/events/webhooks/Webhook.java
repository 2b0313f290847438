package dev.mailroom.events.webhooks;

import dev.mailroom.events.Event;
import java.time.Instant;
import java.util.List;

/**
 * An endpoint events are posted to: a tenant's, or the agency's ({@code tenantId} null), which
 * receives every tenant's events. {@code eventTypes} empty: every type. {@code failingSince}:
 * when the failures since its last success began (null: none since).
 */
public record Webhook(String id, String tenantId, String url, List<String> eventTypes, Status status, Instant failingSince,
        Instant disabledAt, Instant createdAt) {

    /** A disabled endpoint is sent nothing and queues no events until it is enabled again. */
    public enum Status {
        ACTIVE, DISABLED
    }

    public Webhook {
        eventTypes = List.copyOf(eventTypes);
    }

    /** Whether the event is for this endpoint: of its tenant (any, for the agency's), of a type it takes, and not older than it. */
    public boolean wants(Event event) {
        return (tenantId == null || tenantId.equals(event.tenantId()))
                && (eventTypes.isEmpty() || eventTypes.contains(event.type()))
                && !event.createdAt().isBefore(createdAt);
    }
}
