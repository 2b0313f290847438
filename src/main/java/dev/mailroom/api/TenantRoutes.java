package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.tenancy.Offboarding;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.TenantExport;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.TenantRepository;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /v1/tenants}: agency keys create and steer tenants; a tenant key sees only its own. */
final class TenantRoutes {
    private final TenantService tenants;
    private final TenantRepository repository;
    private final Offboarding offboarding;
    private final TenantExport export;
    private final ObjectMapper json;

    TenantRoutes(TenantService tenants, TenantRepository repository, Offboarding offboarding, TenantExport export, ObjectMapper json) {
        this.tenants = tenants;
        this.repository = repository;
        this.offboarding = offboarding;
        this.export = export;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.post("/v1/tenants", this::create);
        routes.get("/v1/tenants", this::list);
        routes.get("/v1/tenants/{id}", this::get);
        routes.patch("/v1/tenants/{id}", this::update);
        routes.post("/v1/tenants/{id}/pause", this::pause);
        routes.post("/v1/tenants/{id}/resume", this::resume);
        routes.post("/v1/tenants/{id}/offboard", this::offboard);
        routes.post("/v1/tenants/{id}/restore", this::restore);
        routes.get("/v1/tenants/{id}/export", this::export);
    }

    private void create(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "name", "metadata");
        var name = body.requiredString("name");
        var metadata = body.optionalStringMap("metadata");
        body.finish();
        ctx.status(201).json(tenants.create(name, metadata == null ? Map.of() : metadata));
    }

    private void list(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        ctx.json(repository.list(key.scope(), paging.cursor(), paging.limit()));
    }

    private void get(Context ctx) {
        var key = Callers.require(ctx, Permission.READ);
        ctx.json(tenants.get(key.scope(), ctx.pathParam("id")));
    }

    private void update(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "name", "metadata", "hourly_cap", "daily_cap");
        var changes = new TenantService.Changes(body.optionalString("name"), body.optionalStringMap("metadata"),
                body.resettableCount("hourly_cap"), body.resettableCount("daily_cap"));
        body.finish();
        ctx.json(tenants.update(key.scope(), ctx.pathParam("id"), changes));
    }

    private void pause(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "reason");
        var reason = body.requiredString("reason");
        body.finish();
        ctx.json(tenants.pause(key.scope(), ctx.pathParam("id"), reason));
    }

    /** {@code {queued: release|cancel}} (optional, release by default): what becomes of the mail held while paused. */
    private void resume(Context ctx) throws InterruptedException {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        boolean cancel = false;
        if (!ctx.body().isBlank()) {
            var body = Body.read(ctx, json, "queued");
            cancel = body.optionalEnum("queued", HeldMail.class, HeldMail.RELEASE) == HeldMail.CANCEL;
            body.finish();
        }
        var resumed = offboarding.resume(key.scope(), ctx.pathParam("id"), cancel);
        ctx.json(resumed.tenant());
    }

    private enum HeldMail {
        RELEASE, CANCEL
    }

    private void offboard(Context ctx) throws InterruptedException {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "queue");
        var queue = body.requiredEnum("queue", Offboarding.Queue.class);
        body.finish();
        ctx.json(offboarding.offboard(key.scope(), ctx.pathParam("id"), queue));
    }

    private void restore(Context ctx) {
        var key = Callers.requireAgency(ctx, Permission.MANAGE);
        ctx.json(offboarding.restore(key.scope(), ctx.pathParam("id")));
    }

    /** The zip is streamed as it is written: once it has begun, a failure can only cut it short. */
    private void export(Context ctx) throws java.io.IOException {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var prepared = export.prepare(key.scope(), ctx.pathParam("id"));
        ctx.contentType("application/zip").header("Content-Disposition", "attachment; filename=\"" + prepared.fileName() + "\"");
        try (var out = ctx.outputStream()) {
            prepared.write(out);
        }
    }
}
