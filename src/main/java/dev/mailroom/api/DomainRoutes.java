package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.DomainView;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.Stream;
import io.javalin.http.Context;

/** {@code /v1/domains}: a tenant's sending domains and the DNS records each one needs. */
final class DomainRoutes {
    private final DomainService domains;
    private final DomainMonitor monitor;
    private final ObjectMapper json;

    DomainRoutes(DomainService domains, DomainMonitor monitor, ObjectMapper json) {
        this.domains = domains;
        this.monitor = monitor;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.post("/v1/domains", this::create);
        routes.get("/v1/domains", this::list);
        routes.get("/v1/domains/{id}", this::get);
        routes.delete("/v1/domains/{id}", this::delete);
        routes.post("/v1/domains/{id}/verify", this::verify);
        routes.post("/v1/domains/{id}/dkim/rotate", this::rotate);
    }

    private void create(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "name", "stream", "setup");
        var tenantId = key.tenantId() != null && !body.has("tenant_id") ? key.tenantId() : body.requiredString("tenant_id");
        var name = body.requiredDomainName("name");
        var stream = body.optionalEnum("stream", Stream.class, Stream.TRANSACTIONAL);
        var setup = body.optionalEnum("setup", DnsSetup.class, DnsSetup.CNAME);
        body.finish();
        ctx.status(201).json(DomainView.of(domains.add(key.scope(), tenantId, name, stream, setup)));
    }

    private void list(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(domains.list(scope, paging.cursor(), paging.limit()).map(DomainView::of));
    }

    private void get(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        ctx.json(DomainView.of(domains.get(key.scope(), ctx.pathParam("id"))));
    }

    private void verify(Context ctx) {
        var key = Callers.require(ctx, Permission.MANAGE);
        ctx.json(DomainView.of(monitor.verifyNow(key.scope(), ctx.pathParam("id"))));
    }

    private void rotate(Context ctx) {
        var key = Callers.require(ctx, Permission.MANAGE);
        ctx.status(202).json(DomainView.of(domains.rotate(key.scope(), ctx.pathParam("id"))));
    }

    private void delete(Context ctx) {
        var key = Callers.require(ctx, Permission.MANAGE);
        domains.delete(key.scope(), ctx.pathParam("id"));
        ctx.status(204);
    }
}
