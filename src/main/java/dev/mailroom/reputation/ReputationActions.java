package dev.mailroom.reputation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The record of what the reputation engine did to tenants, and why, and which of it people undid. */
public final class ReputationActions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, tenant_id, action, reason, metrics, previous_pool, taken_at, undone_at";
    private final Jdbi jdbi;
    private final Ids ids;
    private final Clock clock;

    public enum Kind {
        THROTTLE, ISOLATE, PAUSE
    }

    /**
     * One automatic action. {@code previousPool} is where an isolated tenant was (to move it back);
     * {@code undoneAt} is when the engine saw that an operator reversed it.
     */
    public record Action(String id, String tenantId, Kind action, String reason, Map<String, Object> metrics, String previousPool,
            Instant takenAt, Instant undoneAt) {}

    public ReputationActions(Jdbi jdbi, Ids ids, Clock clock) {
        this.jdbi = jdbi;
        this.ids = ids;
        this.clock = clock;
    }

    /** Records an action inside the transaction that takes it, so that the two exist together. */
    public Action record(Handle h, String tenantId, Kind kind, String reason, Map<String, Object> metrics, String previousPool) {
        var action = new Action(ids.next("act"), tenantId, kind, reason, Map.copyOf(metrics), previousPool,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), null);
        h.createUpdate("INSERT INTO reputation_actions (" + COLUMNS + ") VALUES (:id, :tenant, :action, :reason, :metrics, "
                        + ":previousPool, :taken, NULL)")
                .bind("id", action.id()).bind("tenant", tenantId).bind("action", kind.name()).bind("reason", reason)
                .bind("metrics", json(metrics)).bind("previousPool", previousPool).bind("taken", Rows.timestamp(action.takenAt())).execute();
        return action;
    }

    /** The actions of a tenant not undone yet, oldest first. */
    public List<Action> standing(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM reputation_actions WHERE tenant_id = :tenant AND undone_at IS NULL "
                        + "ORDER BY id").bind("tenant", tenantId).map((rs, ctx) -> map(rs)).list());
    }

    /** A tenant's latest actions, newest first. */
    public List<Action> recent(String tenantId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM reputation_actions WHERE tenant_id = :tenant ORDER BY id DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    /** The latest actions across every tenant, newest first (the agency's overview). */
    public List<Action> latest(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM reputation_actions ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    /** When the tenant's latest action was taken, if it ever had one. */
    public Instant lastTaken(String tenantId) {
        return recent(tenantId, 1).stream().findFirst().map(Action::takenAt).orElse(null);
    }

    public void markUndone(String actionId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE reputation_actions SET undone_at = :now WHERE id = :id AND undone_at IS NULL")
                .bind("now", Rows.timestamp(clock.instant().truncatedTo(ChronoUnit.MILLIS))).bind("id", actionId).execute());
    }

    private static String json(Map<String, Object> metrics) {
        try {
            return JSON.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Action map(ResultSet rs) throws SQLException {
        try {
            return new Action(rs.getString("id"), rs.getString("tenant_id"), Kind.valueOf(rs.getString("action")), rs.getString("reason"),
                    JSON.readValue(rs.getString("metrics"), new TypeReference<Map<String, Object>>() {}), rs.getString("previous_pool"),
                    Rows.instant(rs, "taken_at"), Rows.instant(rs, "undone_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored action metrics are not JSON", e);
        }
    }
}
