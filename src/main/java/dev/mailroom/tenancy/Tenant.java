package dev.mailroom.tenancy;

import java.time.Instant;
import java.util.Map;

/**
 * A client of the agency: the unit of isolation for domains, keys, reputation and data.
 * {@code pool} is the id of the IP pool its mail leaves from (a domain may have its own).
 * {@code hourlyCap} and {@code dailyCap} limit how many recipients it may send to per UTC hour
 * and day; null means the configured default.
 */
public record Tenant(
        String id,
        String name,
        TenantStatus status,
        String statusReason,
        Lifecycle lifecycle,
        String pool,
        Map<String, String> metadata,
        Integer hourlyCap,
        Integer dailyCap,
        Instant createdAt,
        Instant updatedAt) {

    Tenant withStatus(TenantStatus newStatus, String reason, Instant now) {
        return new Tenant(id, name, newStatus, reason, lifecycle, pool, metadata, hourlyCap, dailyCap, createdAt, now);
    }

    Tenant withLifecycle(Lifecycle newLifecycle, Instant now) {
        return new Tenant(id, name, status, statusReason, newLifecycle, pool, metadata, hourlyCap, dailyCap, createdAt, now);
    }

    Tenant withPool(String newPool, Instant now) {
        return new Tenant(id, name, status, statusReason, lifecycle, newPool, metadata, hourlyCap, dailyCap, createdAt, now);
    }
}
