package dev.mailroom.web;

import dev.mailroom.events.webhooks.Webhook;
import dev.mailroom.events.webhooks.WebhookDelivery;
import dev.mailroom.events.webhooks.WebhookService;
import java.util.List;

/**
 * {@code /tenants/{id}/webhooks}: the tenant's webhook endpoints, and each one's delivery log
 * ({@code /tenants/{id}/webhooks/{webhookId}}) as {@code GET /v1/webhooks/{id}/deliveries} lists it. Read only.
 */
public final class WebhooksPage {
    private static final int PAGE = 50;
    private final WebhookService webhooks;
    private final TenantLookup tenants;
    private final Templates templates;

    WebhooksPage(WebhookService webhooks, TenantLookup tenants, Templates templates) {
        this.webhooks = webhooks;
        this.tenants = tenants;
        this.templates = templates;
    }

    public record View(TenantSummary tenant, List<Webhook> webhooks, String next) {
        public String path() {
            return TenantTab.WEBHOOKS.path(tenant.id());
        }

        public static String word(Enum<?> value) {
            return Forms.word(value);
        }
    }

    public record DeliveriesView(TenantSummary tenant, Webhook webhook, List<WebhookDelivery> deliveries, String next) {
        public String path() {
            return TenantTab.WEBHOOKS.path(tenant.id()) + "/" + webhook.id();
        }

        public String word(Enum<?> value) {
            return Forms.word(value);
        }
    }

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}/webhooks", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            var page = webhooks.list(Guards.tenantScope(viewer, tenant.id()), ctx.queryParam("after"), PAGE);
            templates.page(ctx, viewer, "Webhooks of " + tenant.name(), "webhooks.jte", new View(tenant, page.data(), page.nextCursor()));
        });
        routes.get("/tenants/{id}/webhooks/{webhookId}", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            var scope = Guards.tenantScope(viewer, tenant.id());
            var webhook = webhooks.get(scope, ctx.pathParam("webhookId"));
            var page = webhooks.deliveries(scope, webhook.id(), null, ctx.queryParam("after"), PAGE);
            templates.page(ctx, viewer, "Deliveries to " + webhook.url(), "webhook-deliveries.jte",
                    new DeliveriesView(tenant, webhook, page.data(), page.nextCursor()));
        });
    }
}
