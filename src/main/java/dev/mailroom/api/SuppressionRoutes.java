package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.SuppressionReason;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;

/** {@code /v1/suppressions}: the addresses each tenant must not send to. */
final class SuppressionRoutes {
    private final SuppressionList suppressions;
    private final ObjectMapper json;

    SuppressionRoutes(SuppressionList suppressions, ObjectMapper json) {
        this.suppressions = suppressions;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.get("/v1/suppressions", this::list);
        routes.post("/v1/suppressions", this::add);
        routes.delete("/v1/suppressions/{id}", this::delete);
    }

    private void list(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(suppressions.list(scope, ctx.queryParam("email"), paging.cursor(), paging.limit()));
    }

    private void add(Context ctx) {
        var key = Callers.require(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "domain_id", "email", "reason");
        var tenantId = key.tenantId() != null && !body.has("tenant_id") ? key.tenantId() : body.requiredString("tenant_id");
        var domainId = body.optionalString("domain_id");
        var email = body.requiredString("email");
        var reason = body.requiredEnum("reason", SuppressionReason.class);
        body.finish();
        var added = suppressions.add(key.scope(), tenantId, domainId, email, reason);
        ctx.status(added.created() ? 201 : 200).json(added.suppression());
    }

    private void delete(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        suppressions.delete(key.scope(), ctx.pathParam("id"));
        ctx.status(204);
    }
}
