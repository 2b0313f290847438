package dev.mailroom.web;

/**
 * {@code /tenants/{id}}: one tenant's page. Read through the viewer's scope, so another tenant's
 * page is, for a client viewer, exactly as absent as a tenant that does not exist (404).
 */
public final class TenantPage {
    private final TenantLookup tenants;
    private final Templates templates;

    TenantPage(TenantLookup tenants, Templates templates) {
        this.tenants = tenants;
        this.templates = templates;
    }

    static String path(String tenantId) {
        return "/tenants/" + tenantId;
    }

    /** The page's header; sections (charts, domains, ...) add their fields. */
    public record View(TenantSummary tenant) {}

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}", (ctx, viewer) -> {
            var summary = tenants.find(viewer, ctx.pathParam("id"));
            templates.page(ctx, viewer, summary.name(), "tenant.jte", new View(summary));
        });
    }
}
