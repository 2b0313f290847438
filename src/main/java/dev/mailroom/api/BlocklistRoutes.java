package dev.mailroom.api;

import dev.mailroom.reputation.Blocklists;
import dev.mailroom.reputation.Compliance;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;

/**
 * {@code /v1/blocklists}: which pool IPs and sending domains DNS blocklists list (agency keys
 * only: the IPs are the agency's), and a check run now; and a domain's bulk-sender compliance.
 */
final class BlocklistRoutes {
    private final Blocklists blocklists;
    private final Compliance compliance;

    BlocklistRoutes(Blocklists blocklists, Compliance compliance) {
        this.blocklists = blocklists;
        this.compliance = compliance;
    }

    void register(RouteTable routes) {
        routes.get("/v1/blocklists", this::list);
        routes.post("/v1/blocklists/check", this::check);
        routes.get("/v1/domains/{id}/compliance", this::compliance);
    }

    private void list(Context ctx) {
        Callers.requireAgency(ctx, Permission.READ);
        ctx.json(new Page<>(blocklists.listings(), null));
    }

    private void check(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        ctx.json(blocklists.check());
    }

    private void compliance(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        ctx.json(compliance.forDomain(key.scope(), ctx.pathParam("id")));
    }
}
