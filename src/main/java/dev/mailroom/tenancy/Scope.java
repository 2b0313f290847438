package dev.mailroom.tenancy;

import java.util.Set;

/**
 * What a caller may see: one tenant or every tenant, and within it every domain or a listed few.
 * Every repository method that reads tenant data takes a scope, so no query can leave it out.
 */
public record Scope(String tenantId, Set<String> domainIds) {
    public static final Scope AGENCY = new Scope(null, null);

    public Scope {
        domainIds = domainIds == null ? null : Set.copyOf(domainIds);
    }

    public static Scope tenant(String tenantId) {
        return new Scope(tenantId, null);
    }

    public boolean isAgency() {
        return tenantId == null;
    }

    public boolean coversTenant(String id) {
        return tenantId == null || tenantId.equals(id);
    }

    public boolean coversDomain(String tenant, String domainId) {
        return coversTenant(tenant) && (domainIds == null || domainIds.contains(domainId));
    }

    /** The narrower of this scope and one tenant, as a list filtered by {@code ?tenant_id=} asks. */
    public Scope narrowTo(String tenant) {
        if (tenant == null) {
            return this;
        }
        if (!coversTenant(tenant)) {
            throw new NotFoundException("tenant", tenant);
        }
        return new Scope(tenant, domainIds);
    }
}
