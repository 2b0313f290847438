package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.feedback.SuppressionCsv;
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
        routes.get("/v1/suppressions/export", this::export);
        routes.post("/v1/suppressions/import", this::importCsv);
    }

    /** The whole list in the caller's reach (or one tenant's: ?tenant_id=) as CSV. */
    private void export(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"suppressions.csv\"")
                .result(SuppressionCsv.export(suppressions, scope));
    }

    /** CSV lines {@code email[,reason]} for one tenant (and optionally one domain), all or none; answers how many were new. */
    private void importCsv(Context ctx) {
        var key = Callers.require(ctx, Permission.MANAGE);
        var tenantId = key.tenantId() != null ? key.tenantId() : ctx.queryParam("tenant_id");
        if (tenantId == null || tenantId.isBlank()) {
            throw new dev.mailroom.tenancy.ValidationException("tenant_id", "is required (a query parameter) for an agency key");
        }
        var imported = SuppressionCsv.importInto(suppressions, key.scope(), tenantId, ctx.queryParam("domain_id"), ctx.body());
        ctx.json(java.util.Map.of("lines", imported.lines(), "added", imported.added(), "already_suppressed", imported.alreadySuppressed()));
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
