package dev.mailroom.feedback;

import java.time.Instant;

/**
 * An address a tenant must not send to: for every domain of the tenant, or for one ({@code domainId});
 * {@code sourceEventId} names the event that caused it (null for manual entries and imports).
 */
public record Suppression(String id, String tenantId, String domainId, String email, SuppressionReason reason, String sourceEventId,
        Instant createdAt) {}
