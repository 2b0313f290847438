package dev.mailroom.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An API key without its secret. No {@code tenantId} makes an agency key, acting on every
 * tenant; {@code domainIds}, when present, narrows a tenant key to those domains.
 * A bootstrap key is the one {@code admin_key} configures.
 */
public record ApiKey(
        String id, String tenantId, Set<Permission> permissions, List<String> domainIds, boolean bootstrap, Instant createdAt) {

    public ApiKey {
        permissions = Set.copyOf(permissions);
        domainIds = domainIds == null ? null : List.copyOf(domainIds);
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission)
                || (permission == Permission.READ && permissions.contains(Permission.MANAGE));
    }

    public Scope scope() {
        return new Scope(tenantId, domainIds == null ? null : Set.copyOf(domainIds));
    }
}
