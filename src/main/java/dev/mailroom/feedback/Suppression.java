package dev.mailroom.feedback;

import java.time.Instant;

/** An address a tenant must not send to: for every domain of the tenant, or for one ({@code domainId}). */
public record Suppression(String id, String tenantId, String domainId, String email, SuppressionReason reason, Instant createdAt) {}
