package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAddress;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.delivery.PoolTier;
import dev.mailroom.delivery.Smarthost;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * {@code /v1/pools} and the pool of a tenant or domain: IP pools are the agency's, so every route
 * here needs an agency key. A tenant key sees its tenant's pool id only in the tenant.
 */
final class PoolRoutes {
    private final PoolService pools;
    private final PoolAssignments assignments;
    private final ObjectMapper json;

    PoolRoutes(PoolService pools, PoolAssignments assignments, ObjectMapper json) {
        this.pools = pools;
        this.assignments = assignments;
        this.json = json;
    }

    /** A pool as the API shows it. */
    record PoolView(String id, String name, PoolTier tier, List<PoolAddress> addresses, SmarthostView smarthost, Instant createdAt) {
        static PoolView of(Pool pool) {
            var relay = pool.smarthost();
            return new PoolView(pool.id(), pool.name(), pool.tier(), pool.addresses(), relay == null ? null
                    : new SmarthostView(relay.host(), relay.port(), relay.tls(), relay.username(), relay.password() != null),
                    pool.createdAt());
        }
    }

    /** A smarthost without its password: only whether it has one. */
    record SmarthostView(String host, int port, Smarthost.Tls tls, String username, boolean hasPassword) {}

    void register(RouteTable routes) {
        routes.get("/v1/pools", this::list);
        routes.post("/v1/pools", this::create);
        routes.get("/v1/pools/{id}", this::get);
        routes.post("/v1/pools/{id}/ips", this::addAddress);
        routes.delete("/v1/pools/{id}/ips/{address}", this::removeAddress);
        routes.put("/v1/tenants/{id}/pool", this::assignTenant);
        routes.put("/v1/domains/{id}/pool", this::assignDomain);
    }

    private void list(Context ctx) {
        Callers.requireAgency(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        ctx.json(pools.list(paging.cursor(), paging.limit()).map(PoolView::of));
    }

    private void create(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "name", "tier", "smarthost");
        var name = body.requiredString("name");
        var tier = body.requiredEnum("tier", PoolTier.class);
        var relay = body.optionalObject("smarthost", "host", "port", "tls", "username", "password");
        var smarthost = relay == null ? null : smarthost(relay);
        body.finish();
        ctx.status(201).json(PoolView.of(pools.create(name, tier, smarthost)));
    }

    private static Smarthost smarthost(Body relay) {
        var host = relay.requiredString("host");
        var port = relay.optionalInteger("port");
        var tls = relay.optionalEnum("tls", Smarthost.Tls.class, Smarthost.Tls.STARTTLS);
        return new Smarthost(host, port == null ? Smarthost.DEFAULT_PORT : port, tls,
                relay.optionalString("username"), relay.optionalString("password"));
    }

    private void get(Context ctx) {
        Callers.requireAgency(ctx, Permission.READ);
        ctx.json(PoolView.of(pools.get(ctx.pathParam("id"))));
    }

    private void addAddress(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "address", "hostname", "weight");
        var address = body.requiredString("address");
        var hostname = body.requiredString("hostname");
        var weight = body.optionalInteger("weight");
        body.finish();
        ctx.status(201).json(PoolView.of(pools.addAddress(ctx.pathParam("id"), address, hostname, weight)));
    }

    private void removeAddress(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        pools.removeAddress(ctx.pathParam("id"), ctx.pathParam("address"));
        ctx.status(204);
    }

    private void assignTenant(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "pool_id");
        var poolId = body.requiredString("pool_id");
        body.finish();
        ctx.json(assignments.assignTenant(key.scope(), ctx.pathParam("id"), poolId));
    }

    /** {@code pool_id} null (or left out) lets the domain follow its tenant's pool again. */
    private void assignDomain(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "pool_id");
        var poolId = body.optionalString("pool_id");
        body.finish();
        ctx.json(dev.mailroom.tenancy.DomainView.of(assignments.assignDomain(key.scope(), ctx.pathParam("id"), poolId)));
    }
}
