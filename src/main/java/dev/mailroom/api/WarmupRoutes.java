package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /v1/domains/{id}/warmup}: where a domain's warm-up stands, and (agency keys only, as
 * warm-up protects the shared addresses) its own schedule, target volume, or no warm-up at all.
 * {@code /v1/pools/{id}/warmup}: where each source address of a pool stands (agency keys).
 */
final class WarmupRoutes {
    private final DomainService domains;
    private final PoolService pools;
    private final Warmup warmup;
    private final ObjectMapper json;

    /** The warm-up of a pool's addresses, oldest first. */
    record AddressWarmups(List<Warmup.Progress> data) {}

    WarmupRoutes(DomainService domains, PoolService pools, Warmup warmup, ObjectMapper json) {
        this.domains = domains;
        this.pools = pools;
        this.warmup = warmup;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.get("/v1/domains/{id}/warmup", this::get);
        routes.put("/v1/domains/{id}/warmup", this::put);
        routes.get("/v1/pools/{id}/warmup", this::pool);
    }

    private void pool(Context ctx) {
        Callers.requireAgency(ctx, Permission.READ);
        var pool = pools.get(ctx.pathParam("id"));
        ctx.json(new AddressWarmups(warmup.ipProgress(pool.id())));
    }

    private void get(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        var domain = domains.get(key.scope(), ctx.pathParam("id")).domain();
        ctx.json(warmup.progress(domain.tenantId(), domain.id()));
    }

    /** Replaces the domain's settings: a field left out goes back to its default (enabled: true). */
    private void put(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "schedule", "target_daily_volume", "enabled");
        var schedule = body.optionalString("schedule");
        var target = body.optionalInteger("target_daily_volume");
        boolean enabled = !body.has("enabled") || body.optionalBoolean("enabled");
        body.finish();
        var domain = domains.get(key.scope(), ctx.pathParam("id")).domain();
        ctx.json(warmup.configure(domain.tenantId(), domain.id(), schedule, target == null ? null : target.longValue(), enabled));
    }
}
