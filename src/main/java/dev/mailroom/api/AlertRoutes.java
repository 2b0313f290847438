package dev.mailroom.api;

import dev.mailroom.reputation.Alert;
import dev.mailroom.reputation.Alerts;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import java.util.Locale;

/** {@code /v1/alerts}: what the reputation engine and the checks raised, open or resolved. */
final class AlertRoutes {
    private final Alerts alerts;

    AlertRoutes(Alerts alerts) {
        this.alerts = alerts;
    }

    void register(RouteTable routes) {
        routes.get("/v1/alerts", this::list);
        routes.get("/v1/alerts/{id}", this::get);
    }

    private void list(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(alerts.list(scope, new Alerts.Filter(state(ctx.queryParam("state")), ctx.queryParam("kind")), paging.cursor(), paging.limit()));
    }

    private void get(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        ctx.json(alerts.get(key.scope(), ctx.pathParam("id")));
    }

    private static Alert.State state(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Alert.State.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("state", "must be open or resolved, got '" + value + "'");
        }
    }
}
