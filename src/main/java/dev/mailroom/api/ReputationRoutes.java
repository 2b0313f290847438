package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.reputation.Autopilot;
import dev.mailroom.reputation.ReputationSettings;
import dev.mailroom.reputation.TenantHealth;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.TenantService;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tenant's standing ({@code /v1/tenants/{id}/health}) and the thresholds the autopilot holds it to. */
final class ReputationRoutes {
    private static final Map<String, String[]> GROUPS = Map.of("bounce_rate", new String[] {"warning", "critical"},
            "complaint_rate", new String[] {"warning", "critical"}, "delivery_rate", new String[] {"warning", "critical"},
            "pause", new String[] {"hard_bounce_rate", "complaint_rate"});
    private final TenantHealth health;
    private final Autopilot autopilot;
    private final ReputationSettings settings;
    private final TenantService tenants;
    private final ObjectMapper json;

    ReputationRoutes(TenantHealth health, Autopilot autopilot, ReputationSettings settings, TenantService tenants, ObjectMapper json) {
        this.health = health;
        this.autopilot = autopilot;
        this.settings = settings;
        this.tenants = tenants;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.get("/v1/tenants/{id}/health", this::health);
        routes.get("/v1/tenants/{id}/thresholds", this::thresholds);
        routes.put("/v1/tenants/{id}/thresholds", this::setThresholds);
    }

    private void health(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        ctx.json(health.of(key.scope(), ctx.pathParam("id")));
    }

    private void thresholds(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var id = tenants.get(key.scope(), ctx.pathParam("id")).id();
        ctx.json(view(id));
    }

    /** Replaces the tenant's own thresholds: a value left out is the default. Agency keys only: a client may not loosen its own. */
    private void setThresholds(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var id = tenants.get(key.scope(), ctx.pathParam("id")).id();
        var body = Body.read(ctx, json, GROUPS.keySet().toArray(String[]::new));
        var overrides = new LinkedHashMap<String, Double>();
        GROUPS.forEach((group, names) -> {
            var part = body.optionalObject(group, names);
            if (part != null) {
                for (var name : names) {
                    var value = part.optionalNumber(name);
                    if (value != null) {
                        overrides.put(group + "." + name, value);
                    }
                }
            }
        });
        body.finish();
        autopilot.defaults().with(overrides); // throws, naming the field, when a value is out of range or contradicts another
        settings.setOverrides(id, overrides);
        ctx.json(view(id));
    }

    private Map<String, Object> view(String id) {
        var view = new LinkedHashMap<String, Object>();
        view.put("tenant_id", id);
        view.put("thresholds", autopilot.thresholdsFor(id).asMap());
        view.put("overrides", settings.of(id).overrides());
        return view;
    }
}
