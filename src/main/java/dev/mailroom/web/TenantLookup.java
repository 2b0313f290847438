package dev.mailroom.web;

import dev.mailroom.delivery.PoolService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.TenantRepository;

/**
 * Finds the tenant a tenant page is about, through the viewer's scope: for a client viewer,
 * another tenant is exactly as absent as one that does not exist (404). Every page under
 * {@code /tenants/{id}} starts here.
 */
public final class TenantLookup {
    private final TenantRepository tenants;
    private final PoolService pools;

    TenantLookup(TenantRepository tenants, PoolService pools) {
        this.tenants = tenants;
        this.pools = pools;
    }

    TenantSummary find(Viewer viewer, String id) {
        var tenant = tenants.find(Guards.tenantScope(viewer), id).orElseThrow(() -> new NotFoundException("tenant", id));
        return TenantSummary.of(tenant, TenantSummary.poolName(pools, tenant.pool()));
    }
}
