package dev.mailroom.events.webhooks;

import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.Scope;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook endpoints. The secret is sealed here on its way in and opened only for sending, so the
 * database holds it sealed and the API never sees it after creation. Reads take the caller's
 * scope; changes take an endpoint so read, so none can reach past the scope.
 */
final class WebhookRepository {
    private static final String COLUMNS = "id, tenant_id, url, event_types, status, failing_since, disabled_at, created_at";
    private final Jdbi jdbi;
    private final SecretSealer sealer;

    WebhookRepository(Jdbi jdbi, SecretSealer sealer) {
        this.jdbi = jdbi;
        this.sealer = sealer;
    }

    void insert(Webhook webhook, String secret) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO webhooks (" + COLUMNS + ", secret) VALUES "
                        + "(:id, :tenant, :url, :types, :status, NULL, NULL, :created, :secret)")
                .bind("id", webhook.id())
                .bind("tenant", webhook.tenantId())
                .bind("url", webhook.url())
                .bind("types", Rows.joined(webhook.eventTypes()))
                .bind("status", webhook.status().name())
                .bind("created", Rows.timestamp(webhook.createdAt()))
                .bind("secret", sealer.seal(secret.getBytes(StandardCharsets.UTF_8), sealContext(webhook.id())))
                .execute());
    }

    /** An endpoint within the scope: a tenant's endpoints are its own; the agency's are seen by agency callers only. */
    Optional<Webhook> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = :id")
                        .bind("id", id).map((rs, ctx) -> map(rs)).findOne())
                .filter(webhook -> scope.coversTenant(webhook.tenantId()));
    }

    Page<Webhook> list(Scope scope, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM webhooks", "tenant_id", scope.tenantId(), after, limit,
                (rs, ctx) -> map(rs), Webhook::id);
    }

    /** Deletes an endpoint found in the caller's scope, with its queue and deliveries. */
    void delete(Webhook webhook) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", webhook.id()).execute());
    }

    /** Every active endpoint with its secret, for the dispatcher. */
    List<Target> active() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", secret FROM webhooks WHERE status = 'ACTIVE'")
                .map((rs, ctx) -> target(rs)).list());
    }

    /** An endpoint found in the caller's scope with its secret, active or not (a replay may test a disabled endpoint). */
    Optional<Target> target(Webhook webhook) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", secret FROM webhooks WHERE id = :id")
                .bind("id", webhook.id()).map((rs, ctx) -> target(rs)).findOne());
    }

    /** Makes an endpoint found in the caller's scope active again, with a clean record of failures. */
    void enable(Webhook webhook) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhooks SET status = 'ACTIVE', failing_since = NULL, disabled_at = NULL WHERE id = :id")
                .bind("id", webhook.id()).execute());
    }

    /** After a delivered attempt: the endpoint is not failing. */
    void succeededIn(Handle h, String id) {
        h.createUpdate("UPDATE webhooks SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL").bind("id", id).execute();
    }

    /** After a failed attempt: when the endpoint's failures began (this attempt, if it had none); empty when it is gone. */
    Optional<Instant> failedIn(Handle h, String id, Instant at) {
        h.createUpdate("UPDATE webhooks SET failing_since = :at WHERE id = :id AND failing_since IS NULL")
                .bind("at", Rows.timestamp(at)).bind("id", id).execute();
        return h.createQuery("SELECT failing_since FROM webhooks WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> Rows.instant(rs, "failing_since")).findOne();
    }

    /** Disables an active endpoint; false when it was not active (already disabled, or gone). */
    boolean disableIn(Handle h, String id, Instant at) {
        return h.createUpdate("UPDATE webhooks SET status = 'DISABLED', disabled_at = :at WHERE id = :id AND status = 'ACTIVE'")
                .bind("at", Rows.timestamp(at)).bind("id", id).execute() == 1;
    }

    private Target target(ResultSet rs) throws SQLException {
        var webhook = map(rs);
        return new Target(webhook, new String(sealer.open(rs.getString("secret"), sealContext(webhook.id())), StandardCharsets.UTF_8));
    }

    private static Webhook map(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString("id"), rs.getString("tenant_id"), rs.getString("url"), Rows.list(rs, "event_types"),
                Webhook.Status.valueOf(rs.getString("status")), Rows.instant(rs, "failing_since"), Rows.instant(rs, "disabled_at"),
                Rows.instant(rs, "created_at"));
    }

    /** Bound into the seal, so a sealed secret copied onto another endpoint's row does not open. */
    static String sealContext(String webhookId) {
        return "webhook-secret:" + webhookId;
    }
}
