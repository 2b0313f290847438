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
        var since = ctx.queryParam("since");
        java.time.Instant sinceInstant = null;
        if (since != null) {
            try {
                sinceInstant = java.time.OffsetDateTime.parse(since).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest("since must be an RFC 3339 time such as 2026-11-24T09:30:00Z, got '" + since + "'");
            }
        }
        var filter = new EventLog.Filter(scope.tenantId(), ctx.queryParam("type"), ctx.queryParam("message_id"), sinceInstant);
        ctx.json(events.list(filter, paging.cursor(), paging.limit()));
    }
}
