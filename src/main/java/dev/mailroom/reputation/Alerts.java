package dev.mailroom.reputation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The alerts' life cycle: raised when a condition is noticed ({@code alert.raised}), raised again
 * when it gets worse (warning to critical), resolved when it clears ({@code alert.resolved}).
 * Raising what is already open at that severity changes nothing, so checkers can simply say what
 * they see on every run.
 */
public final class Alerts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, tenant_id, subject_kind, subject_id, kind, severity, state, message, data, raised_at, updated_at, resolved_at";
    private final Jdbi jdbi;
    private final EventLog events;
    private final Ids ids;
    private final Clock clock;

    public Alerts(Jdbi jdbi, EventLog events, Ids ids, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Says that {@code kind} holds for {@code subject} now. A new alert, or one that got more
     * severe, is announced; the same alert again changes nothing. Answers the open alert.
     */
    public Alert raise(Alert.Subject subject, String kind, Alert.Severity severity, String message, Map<String, Object> data) {
        try {
            return jdbi.inTransaction(h -> raise(h, subject, kind, severity, message, data));
        } catch (UnableToExecuteStatementException e) {
            if (!Constraints.violated(e)) {
                throw e;
            }
            // another node raised the same alert between our look and our insert: it is open now
            return jdbi.inTransaction(h -> raise(h, subject, kind, severity, message, data));
        }
    }

    private Alert raise(Handle h, Alert.Subject subject, String kind, Alert.Severity severity, String message, Map<String, Object> data) {
        var now = now();
        var open = openAlert(h, subject, kind);
        if (open.isPresent()) {
            var current = open.get();
            if (current.severity().compareTo(severity) >= 0) {
                return current;
            }
            int worsened = h.createUpdate("UPDATE alerts SET severity = :severity, message = :message, data = :data, updated_at = :now "
                            + "WHERE id = :id AND state = 'OPEN' AND severity = :was")
                    .bind("severity", severity.name()).bind("message", message).bind("data", json(data)).bind("now", Rows.timestamp(now))
                    .bind("id", current.id()).bind("was", current.severity().name()).execute();
            if (worsened == 0) {
                return current; // another node worsened or resolved it meanwhile, and announced that
            }
            var escalated = new Alert(current.id(), current.tenantId(), current.subjectKind(), current.subjectId(), kind, severity,
                    Alert.State.OPEN, message, Map.copyOf(data), current.raisedAt(), now, null);
            announce(h, "alert.raised", escalated, Map.of("escalated_from", current.severity().name().toLowerCase(java.util.Locale.ROOT)));
            return escalated;
        }
        var alert = new Alert(ids.next("alr"), subject.tenantId(), subject.kind(), subject.id(), kind, severity, Alert.State.OPEN, message,
                Map.copyOf(data), now, now, null);
        h.createUpdate("INSERT INTO alerts (" + COLUMNS + ", open_key) VALUES (:id, :tenant, :subjectKind, :subjectId, :kind, :severity, "
                        + "'OPEN', :message, :data, :now, :now, NULL, :openKey)")
                .bind("id", alert.id()).bind("tenant", alert.tenantId()).bind("subjectKind", subject.kind()).bind("subjectId", subject.id())
                .bind("kind", kind).bind("severity", severity.name()).bind("message", message).bind("data", json(data))
                .bind("now", Rows.timestamp(now)).bind("openKey", subject.openKey(kind)).execute();
        announce(h, "alert.raised", alert, Map.of());
        return alert;
    }

    /** Says that {@code kind} no longer holds for {@code subject}: its open alert, if any, is resolved and announced. */
    public Optional<Alert> resolve(Alert.Subject subject, String kind, String why) {
        return jdbi.inTransaction(h -> {
            var open = openAlert(h, subject, kind);
            if (open.isEmpty()) {
                return Optional.<Alert>empty();
            }
            var now = now();
            int changed = h.createUpdate("UPDATE alerts SET state = 'RESOLVED', resolved_at = :now, updated_at = :now, open_key = NULL "
                            + "WHERE id = :id AND state = 'OPEN'")
                    .bind("now", Rows.timestamp(now)).bind("id", open.get().id()).execute();
            if (changed == 0) {
                return Optional.<Alert>empty();
            }
            var current = open.get();
            var resolved = new Alert(current.id(), current.tenantId(), current.subjectKind(), current.subjectId(), current.kind(),
                    current.severity(), Alert.State.RESOLVED, current.message(), current.data(), current.raisedAt(), now, now);
            announce(h, "alert.resolved", resolved, Map.of("why", why));
            return Optional.of(resolved);
        });
    }

    /** The open alerts about a tenant and its domains, newest first. */
    public List<Alert> open(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE tenant_id = :tenant AND state = 'OPEN' ORDER BY id DESC")
                .bind("tenant", tenantId).map((rs, ctx) -> map(rs)).list());
    }

    /** Every open alert, every tenant's and the agency's, newest first: few, as at most one is open per subject and kind. */
    public List<Alert> allOpen() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE state = 'OPEN' ORDER BY id DESC")
                .map((rs, ctx) -> map(rs)).list());
    }

    /** The open alerts of a kind, every tenant's and the agency's (checkers resolve what they no longer see). */
    public List<Alert> openOfKind(String kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE kind = :kind AND state = 'OPEN' ORDER BY id")
                .bind("kind", kind).map((rs, ctx) -> map(rs)).list());
    }

    /** What to list: each null part is no restriction. */
    public record Filter(Alert.State state, String kind) {}

    /** Alerts in the caller's reach, oldest first; agency-wide alerts (no tenant) only for agency callers. */
    public Page<Alert> list(Scope scope, Filter filter, String after, int limit) {
        var conditions = new java.util.ArrayList<PagedQuery.Condition>();
        conditions.add(new PagedQuery.Equals("state", filter.state() == null ? null : filter.state().name()));
        conditions.add(new PagedQuery.Equals("kind", filter.kind()));
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM alerts", "tenant_id", scope.tenantId(), conditions, after, limit,
                (rs, ctx) -> map(rs), Alert::id);
    }

    public Alert get(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = :id").bind("id", id)
                        .map((rs, ctx) -> map(rs)).findOne())
                .filter(alert -> scope.isAgency() || alert.tenantId() != null && scope.coversTenant(alert.tenantId()))
                .orElseThrow(() -> new NotFoundException("alert", id));
    }

    private static Optional<Alert> openAlert(Handle h, Alert.Subject subject, String kind) {
        return h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE open_key = :key").bind("key", subject.openKey(kind))
                .map((rs, ctx) -> map(rs)).findOne();
    }

    private void announce(Handle h, String type, Alert alert, Map<String, Object> extra) {
        var data = new LinkedHashMap<String, Object>();
        data.put("alert_id", alert.id());
        data.put("subject_kind", alert.subjectKind());
        data.put("subject_id", alert.subjectId());
        data.put("kind", alert.kind());
        data.put("severity", alert.severity().name().toLowerCase(java.util.Locale.ROOT));
        data.put("message", alert.message());
        data.put("details", alert.data());
        data.putAll(extra);
        events.append(h, alert.tenantId(), type, alert.id(), data);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String json(Map<String, Object> data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert data is not JSON", e);
        }
    }

    private static Alert map(ResultSet rs) throws SQLException {
        try {
            return new Alert(rs.getString("id"), rs.getString("tenant_id"), rs.getString("subject_kind"), rs.getString("subject_id"),
                    rs.getString("kind"), Alert.Severity.valueOf(rs.getString("severity")), Alert.State.valueOf(rs.getString("state")),
                    rs.getString("message"), JSON.readValue(rs.getString("data"), new TypeReference<Map<String, Object>>() {}),
                    Rows.instant(rs, "raised_at"), Rows.instant(rs, "updated_at"), Rows.instant(rs, "resolved_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored alert data is not JSON", e);
        }
    }
}
