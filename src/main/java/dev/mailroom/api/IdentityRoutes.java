package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.submission.IdentityConfirmations;
import dev.mailroom.tenancy.IdentityService;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;

/**
 * {@code /v1/identities}: single addresses tenants send from without a domain of their own; and
 * the confirmation page their link opens, without an API key. Its GET only shows a button (mail
 * scanners fetch links), the button's POST confirms.
 */
final class IdentityRoutes {
    private final IdentityService identities;
    private final ObjectMapper json;

    IdentityRoutes(IdentityService identities, ObjectMapper json) {
        this.identities = identities;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.post("/v1/identities", this::create);
        routes.get("/v1/identities", this::list);
        routes.get("/v1/identities/{id}", this::get);
        routes.delete("/v1/identities/{id}", this::delete);
        routes.post("/v1/identities/{id}/resend", this::resend);
    }

    /** The page the confirmation link opens: for people, not API clients (not in the OpenAPI document). */
    void registerPages(RouteTable routes) {
        routes.get(IdentityConfirmations.CONFIRM_PATH, this::confirmPage);
        routes.post(IdentityConfirmations.CONFIRM_PATH, this::confirm);
    }

    private void create(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "email");
        var tenantId = caller.tenantId() != null && !body.has("tenant_id") ? caller.tenantId() : body.requiredString("tenant_id");
        var email = body.requiredString("email");
        body.finish();
        ctx.status(201).json(identities.create(caller.scope(), tenantId, email));
    }

    private void list(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        ctx.json(identities.list(caller.scope().narrowTo(ctx.queryParam("tenant_id")), paging.cursor(), paging.limit()));
    }

    private void get(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.READ);
        ctx.json(identities.get(caller.scope(), ctx.pathParam("id")));
    }

    private void delete(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        identities.delete(caller.scope(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void resend(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        ctx.json(identities.resend(caller.scope(), ctx.pathParam("id")));
    }

    private void confirmPage(Context ctx) {
        var identity = identities.confirmable(ctx.queryParam("token"));
        TrackingRoutes.page(ctx, identity.isPresent() ? 200 : 404,
                identity.map(TrackingPages::confirmIdentity).orElseGet(TrackingPages::invalid));
    }

    /** The page's form posts to the page's own URL, so the token is in the query string. */
    private void confirm(Context ctx) {
        var identity = identities.confirm(ctx.queryParam("token"));
        TrackingRoutes.page(ctx, identity.isPresent() ? 200 : 404,
                identity.map(TrackingPages::identityConfirmed).orElseGet(TrackingPages::invalid));
    }
}
