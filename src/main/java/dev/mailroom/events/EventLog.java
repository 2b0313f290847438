package dev.mailroom.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The append-only log of events per tenant; webhooks and the events API read from it. */
public final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, tenant_id, type, subject_id, data, created_at";
    private final Jdbi jdbi;
    private final Ids ids;
    private final Clock clock;

    public EventLog(Jdbi jdbi, Ids ids, Clock clock) {
        this.jdbi = jdbi;
        this.ids = ids;
        this.clock = clock;
    }

    /** Appends an event inside the caller's transaction, so the event exists exactly when the change does. */
    public Event append(Handle handle, String tenantId, String type, String subjectId, Map<String, Object> data) {
        var event = new Event(ids.next("evt"), tenantId, type, subjectId, Map.copyOf(data), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            handle.createUpdate("INSERT INTO events (" + COLUMNS + ") VALUES (:id, :tenant, :type, :subject, :data, :created)")
                    .bind("id", event.id())
                    .bind("tenant", tenantId)
                    .bind("type", type)
                    .bind("subject", subjectId)
                    .bind("data", JSON.writeValueAsString(data))
                    .bind("created", Rows.timestamp(event.createdAt()))
                    .execute();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not JSON", e);
        }
        return event;
    }

    /** Appends an event in a transaction of its own, for what changes nothing else (an open, a click). */
    public Event append(String tenantId, String type, String subjectId, Map<String, Object> data) {
        return jdbi.withHandle(h -> append(h, tenantId, type, subjectId, data));
    }

    /** An event to append: {@link #appendAll} writes many in one statement batch. */
    public record NewEvent(String tenantId, String type, String subjectId, Map<String, Object> data) {}

    /** As {@link #append}, for many events at once. */
    public void appendAll(Handle handle, List<NewEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        var batch = handle.prepareBatch("INSERT INTO events (" + COLUMNS + ") VALUES (:id, :tenant, :type, :subject, :data, :created)");
        var created = Rows.timestamp(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        for (var event : events) {
            try {
                batch.bind("id", ids.next("evt")).bind("tenant", event.tenantId()).bind("type", event.type())
                        .bind("subject", event.subjectId()).bind("data", JSON.writeValueAsString(event.data()))
                        .bind("created", created).add();
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("event data is not JSON", e);
            }
        }
        batch.execute();
    }

    /** What to list: each null part is no restriction. */
    public record Filter(String tenantId, String type, String subjectId, java.time.Instant since) {}

    /** Events within the filter (a null tenant: every tenant's), oldest first. */
    public Page<Event> list(Filter filter, String after, int limit) {
        var conditions = List.of(new PagedQuery.Equals("type", filter.type()), new PagedQuery.Equals("subject_id", filter.subjectId()),
                new PagedQuery.AtLeast("created_at", Rows.timestamp(filter.since())));
        var tenantId = filter.tenantId();
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM events", "tenant_id", tenantId, conditions, after, limit,
                (rs, ctx) -> map(rs), Event::id);
    }

    /**
     * Every tenant's events after {@code afterId} in id order, for readers that follow the log
     * (webhooks). Ids are made before their transaction commits, so an event may appear behind
     * one already read: such readers look back over a margin (see the webhook dispatcher).
     */
    public List<Event> after(String afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM events WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> map(rs)).list());
    }

    /** One event by id, whatever its tenant: callers check who may see it. */
    public Optional<Event> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM events WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    private static Event map(ResultSet rs) throws SQLException {
        try {
            return new Event(rs.getString("id"), rs.getString("tenant_id"), rs.getString("type"), rs.getString("subject_id"),
                    JSON.readValue(rs.getString("data"), new TypeReference<Map<String, Object>>() {}), Rows.instant(rs, "created_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON", e);
        }
    }
}
