package dev.mailroom.tenancy;

import java.time.Instant;

/** A single address a tenant may send from without a domain of its own; {@code email} is lower-case. */
public record Identity(String id, String tenantId, String email, IdentityStatus status, Instant createdAt, Instant verifiedAt) {}
