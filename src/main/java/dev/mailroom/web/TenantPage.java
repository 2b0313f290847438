package dev.mailroom.web;

import dev.mailroom.delivery.PoolService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.TenantRepository;

/**
 * {@code /tenants/{id}}: one tenant's page. Read through the viewer's scope, so another tenant's
 * page is, for a client viewer, exactly as absent as a tenant that does not exist (404).
 */
public final class TenantPage {
    private final TenantRepository tenants;
    private final PoolService pools;
    private final Templates templates;

    TenantPage(TenantRepository tenants, PoolService pools, Templates templates) {
        this.tenants = tenants;
        this.pools = pools;
        this.templates = templates;
    }

    static String path(String tenantId) {
        return "/tenants/" + tenantId;
    }

    /** The page's header; sections (charts, domains, ...) add their fields. */
    public record View(TenantSummary tenant) {}

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}", (ctx, viewer) -> {
            var id = ctx.pathParam("id");
            var tenant = tenants.find(Guards.tenantScope(viewer), id).orElseThrow(() -> new NotFoundException("tenant", id));
            var summary = TenantSummary.of(tenant, TenantSummary.poolName(pools, tenant.pool()));
            templates.page(ctx, viewer, tenant.name(), "tenant.jte", new View(summary));
        });
    }
}
