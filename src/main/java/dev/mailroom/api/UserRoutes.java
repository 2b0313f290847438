package dev.mailroom.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.Role;
import dev.mailroom.tenancy.UserService;
import io.javalin.http.Context;

/**
 * {@code /v1/users}: the dashboard's users, managed by the agency (agency keys only). The first
 * agency admin is made this way with the admin key. Passwords go in, never out.
 */
final class UserRoutes {
    private final UserService users;
    private final ObjectMapper json;

    UserRoutes(UserService users, ObjectMapper json) {
        this.users = users;
        this.json = json;
    }

    void register(RouteTable routes) {
        routes.post("/v1/users", this::create);
        routes.get("/v1/users", this::list);
        routes.delete("/v1/users/{id}", this::delete);
    }

    private void create(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "email", "password", "role", "tenant_id");
        var email = body.optionalString("email");
        var password = body.optionalString("password");
        var role = body.optionalEnum("role", Role.class, null);
        var tenantId = body.optionalString("tenant_id");
        body.finish();
        ctx.status(201).json(users.create(email, password, role, tenantId));
    }

    private void list(Context ctx) {
        Callers.requireAgency(ctx, Permission.READ);
        var paging = Paging.of(ctx);
        ctx.json(users.list(paging.cursor(), paging.limit()));
    }

    private void delete(Context ctx) {
        Callers.requireAgency(ctx, Permission.MANAGE);
        users.delete(ctx.pathParam("id"));
        ctx.status(204);
    }
}
