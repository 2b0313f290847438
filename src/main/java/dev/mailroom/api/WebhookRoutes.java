package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.webhooks.Webhook;
import dev.mailroom.events.webhooks.WebhookService;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * {@code /v1/webhooks}: endpoints that receive events, their deliveries and replays. Webhooks carry
 * every event of a tenant, so a key limited to some domains cannot use them.
 */
final class WebhookRoutes {
    private final WebhookService webhooks;
    private final ObjectMapper json;

    WebhookRoutes(WebhookService webhooks, ObjectMapper json) {
        this.webhooks = webhooks;
        this.json = json;
    }

    /** An endpoint as the API shows it; {@code secret} only in the answer that creates it. */
    record WebhookView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String secret, String tenantId, String url, List<String> events,
            Webhook.Status status, Instant failingSince, Instant disabledAt, Instant createdAt) {

        static WebhookView of(Webhook webhook, String secret) {
            return new WebhookView(webhook.id(), secret, webhook.tenantId(), webhook.url(), webhook.eventTypes(), webhook.status(),
                    webhook.failingSince(), webhook.disabledAt(), webhook.createdAt());
        }
    }

    void register(RouteTable routes) {
        routes.post("/v1/webhooks", this::create);
        routes.get("/v1/webhooks", this::list);
        routes.get("/v1/webhooks/{id}", this::get);
        routes.delete("/v1/webhooks/{id}", this::delete);
        routes.post("/v1/webhooks/{id}/enable", this::enable);
        routes.get("/v1/webhooks/{id}/deliveries", this::deliveries);
        routes.post("/v1/webhooks/{id}/deliveries/{delivery_id}/replay", this::replay);
    }

    /** Without {@code tenant_id}, a tenant key makes an endpoint for its tenant and an agency key one for every tenant. */
    private void create(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "url", "events");
        var tenantId = key.tenantId() != null && !body.has("tenant_id") ? key.tenantId() : body.optionalString("tenant_id");
        var url = body.requiredString("url");
        var events = body.optionalStringList("events");
        body.finish();
        var created = webhooks.create(key.scope(), tenantId, url, events == null ? List.of() : events);
        ctx.status(201).json(WebhookView.of(created.webhook(), created.secret()));
    }

    private void list(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(webhooks.list(scope, paging.cursor(), paging.limit()).map(webhook -> WebhookView.of(webhook, null)));
    }

    private void get(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        ctx.json(WebhookView.of(webhooks.get(key.scope(), ctx.pathParam("id")), null));
    }

    private void delete(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        webhooks.delete(key.scope(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void enable(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        ctx.json(WebhookView.of(webhooks.enable(key.scope(), ctx.pathParam("id")), null));
    }

    private void deliveries(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        ctx.json(webhooks.deliveries(key.scope(), ctx.pathParam("id"), ctx.queryParam("event_id"), paging.cursor(), paging.limit()));
    }

    private void replay(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        ctx.status(201).json(webhooks.replay(key.scope(), ctx.pathParam("id"), ctx.pathParam("delivery_id")));
    }
}
