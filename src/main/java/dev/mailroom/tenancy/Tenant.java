package dev.mailroom.tenancy;

import java.time.Instant;
import java.util.Map;

/** A client of the agency: the unit of isolation for domains, keys, reputation and data. */
public record Tenant(
        String id,
        String name,
        TenantStatus status,
        String statusReason,
        Lifecycle lifecycle,
        String pool,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {}
