package dev.mailroom.api;

import dev.mailroom.events.EventLog;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;

/** {@code GET /v1/events}: what happened, oldest first, within the caller's tenants. */
final class EventRoutes {
    private final EventLog events;

    EventRoutes(EventLog events) {
        this.events = events;
    }

    void register(RouteTable routes) {
        routes.get("/v1/events", this::list);
    }

    private void list(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(events.list(scope.tenantId(), ctx.queryParam("type"), paging.cursor(), paging.limit()));
    }
}
