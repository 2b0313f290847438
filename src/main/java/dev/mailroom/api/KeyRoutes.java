package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.tenancy.ApiKey;
import dev.mailroom.tenancy.ApiKeyService;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** {@code /v1/api-keys}: keys are created by other keys, never with more reach than their creator. */
final class KeyRoutes {
    private final ApiKeyService keys;
    private final ObjectMapper json;

    KeyRoutes(ApiKeyService keys, ObjectMapper json) {
        this.keys = keys;
        this.json = json;
    }

    /** A key as the API shows it; {@code key} (the secret) only in the answer that creates it. */
    record KeyView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String key, String tenantId, List<Permission> permissions, List<String> domainIds,
            boolean bootstrap, Instant createdAt) {

        static KeyView of(ApiKey key, String secret) {
            var permissions = key.permissions().stream().sorted().toList();
            return new KeyView(key.id(), secret, key.tenantId(), permissions, key.domainIds(), key.bootstrap(), key.createdAt());
        }
    }

    void register(RouteTable routes) {
        routes.post("/v1/api-keys", this::create);
        routes.get("/v1/api-keys", this::list);
        routes.delete("/v1/api-keys/{id}", this::revoke);
    }

    private void create(Context ctx) {
        var caller = Callers.require(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "domain_ids", "permissions");
        var tenantId = body.optionalString("tenant_id");
        var domainIds = body.optionalStringList("domain_ids");
        var permissions = body.requiredEnumSet("permissions", Permission.class);
        body.finish();
        var created = keys.create(caller, tenantId, domainIds, permissions);
        ctx.status(201).json(KeyView.of(created.key(), created.secret()));
    }

    private void list(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        var paging = Paging.of(ctx);
        var scope = caller.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(keys.list(scope, paging.cursor(), paging.limit()).map(key -> KeyView.of(key, null)));
    }

    private void revoke(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        keys.revoke(caller, ctx.pathParam("id"));
        ctx.status(204);
    }
}
