package dev.mailroom.tenancy;

import java.time.Instant;

/** A person who logs in to the dashboard; {@code tenantId} is set for client viewers only. */
public record User(String id, String email, Role role, String tenantId, Instant createdAt) {}
