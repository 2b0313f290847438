package dev.mailroom.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.SmtpCredential;
import dev.mailroom.tenancy.SmtpCredentialService;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** {@code /v1/smtp-credentials}: how a tenant's applications log in to SMTP submission. */
final class CredentialRoutes {
    private final SmtpCredentialService credentials;
    private final ObjectMapper json;

    CredentialRoutes(SmtpCredentialService credentials, ObjectMapper json) {
        this.credentials = credentials;
        this.json = json;
    }

    /** A credential as the API shows it; {@code password} only in the answer that creates it. */
    record CredentialView(String id, String tenantId, String username, @JsonInclude(JsonInclude.Include.NON_NULL) String password, List<String> networks,
            List<String> domainIds, Instant createdAt) {

        static CredentialView of(SmtpCredential c, String password) {
            return new CredentialView(c.id(), c.tenantId(), c.username(), password, c.networks(), c.domainIds(), c.createdAt());
        }
    }

    void register(RouteTable routes) {
        routes.post("/v1/smtp-credentials", this::create);
        routes.get("/v1/smtp-credentials", this::list);
        routes.delete("/v1/smtp-credentials/{id}", this::delete);
    }

    private void create(Context ctx) {
        var caller = Callers.require(ctx, Permission.MANAGE);
        var body = Body.read(ctx, json, "tenant_id", "domain_ids", "networks");
        var tenantId = caller.tenantId() != null && !body.has("tenant_id") ? caller.tenantId() : body.requiredString("tenant_id");
        var domainIds = body.optionalStringList("domain_ids");
        var networks = body.optionalStringList("networks");
        body.finish();
        var created = credentials.create(caller.scope(), tenantId, domainIds, networks);
        ctx.status(201).json(CredentialView.of(created.credential(), created.password()));
    }

    private void list(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        var paging = Paging.of(ctx);
        var scope = caller.scope().narrowTo(ctx.queryParam("tenant_id"));
        ctx.json(credentials.list(scope, paging.cursor(), paging.limit()).map(c -> CredentialView.of(c, null)));
    }

    private void delete(Context ctx) {
        var caller = Callers.requireUnrestricted(ctx, Permission.MANAGE);
        credentials.delete(caller.scope(), ctx.pathParam("id"));
        ctx.status(204);
    }
}
