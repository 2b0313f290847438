package dev.mailroom.web;

import dev.mailroom.delivery.PoolService;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantRepository;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * {@code /}: the agency's overview, every tenant at a glance (a page of 100, then a link to the
 * next). A client viewer has one tenant, so it goes straight to that tenant's page.
 */
public final class OverviewPage {
    static final String PATH = "/";
    private final TenantRepository tenants;
    private final PoolService pools;
    private final Templates templates;

    OverviewPage(TenantRepository tenants, PoolService pools, Templates templates) {
        this.tenants = tenants;
        this.pools = pools;
        this.templates = templates;
    }

    /** @param next the {@code after} of the next page, or null on the last */
    public record View(List<TenantSummary> tenants, String next) {}

    void register(PageRoutes routes) {
        routes.get(PATH, (ctx, viewer) -> {
            if (!viewer.isAgency()) {
                ctx.redirect(TenantPage.path(viewer.tenantId()), HttpStatus.SEE_OTHER);
                return;
            }
            var page = tenants.list(Scope.AGENCY, ctx.queryParam("after"), Page.DEFAULT_LIMIT);
            var names = TenantSummary.poolNames(pools);
            templates.page(ctx, viewer, "Tenants", "overview.jte",
                    new View(page.data().stream().map(tenant -> TenantSummary.of(tenant, names.getOrDefault(tenant.pool(), tenant.pool()))).toList(), page.nextCursor()));
        });
    }
}
