package dev.mailroom.events.webhooks;

import dev.mailroom.events.Event;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The events each endpoint is to receive, every attempt made to deliver them, and how far the
 * event log has been read into this queue. An event is queued once per endpoint however
 * often it is read (the unique pair decides), and taken for an attempt by one node at a time
 * (a claim pushes its due time ahead by a lease).
 */
final class WebhookQueue {
    private static final String QUEUE_COLUMNS = "id, webhook_id, event_id, event_type, created_at";
    private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, attempt, status_code, error, duration_ms, attempted_at";
    private static final int MAX_ERROR = 1000;
    private final Jdbi jdbi;
    private final Ids ids;

    WebhookQueue(Jdbi jdbi, Ids ids) {
        this.jdbi = jdbi;
        this.ids = ids;
    }

    /** An event for one endpoint. */
    record Entry(String webhookId, Event event) {}

    /** Queues entries, due at once; those queued before are left as they are. */
    void enqueue(List<Entry> entries, Instant now) {
        if (entries.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO webhook_queue (" + QUEUE_COLUMNS + ", attempts, state, next_attempt_at) VALUES "
                    + "(:id, :webhook, :event, :type, :now, 0, 'PENDING', :now) ON CONFLICT DO NOTHING");
            for (var entry : entries) {
                batch.bind("id", ids.next("whq")).bind("webhook", entry.webhookId()).bind("event", entry.event().id())
                        .bind("type", entry.event().type()).bind("now", Rows.timestamp(now)).add();
            }
            batch.execute();
        });
    }

    /** An endpoint's events due by {@code now}, the longest waiting first. */
    List<QueuedEvent> due(String webhookId, Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + QUEUE_COLUMNS + " FROM webhook_queue "
                        + "WHERE webhook_id = :webhook AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit")
                .bind("webhook", webhookId).bind("now", Rows.timestamp(now)).bind("limit", limit)
                .map((rs, ctx) -> queued(rs)).list());
    }

    /** Takes a due event for an attempt until {@code until}; false when another node took it first. */
    boolean claim(String id, Instant now, Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE webhook_queue SET next_attempt_at = :until WHERE id = :id AND next_attempt_at <= :now")
                .bind("until", Rows.timestamp(until)).bind("id", id).bind("now", Rows.timestamp(now)).execute()) == 1;
    }

    /** The queued event an attempt of this endpoint (found in the caller's scope) was for. */
    Optional<QueuedEvent> ofDelivery(Webhook webhook, String deliveryId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT q.id, q.webhook_id, q.event_id, q.event_type, q.created_at "
                        + "FROM webhook_queue q JOIN webhook_deliveries d ON d.queue_id = q.id WHERE d.id = :delivery AND d.webhook_id = :webhook")
                .bind("delivery", deliveryId).bind("webhook", webhook.id())
                .map((rs, ctx) -> queued(rs)).findOne());
    }

    /** The attempts of an endpoint found in the caller's scope, oldest first, optionally of one event only. */
    Page<WebhookDelivery> deliveries(Webhook webhook, String eventId, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries", "webhook_id", webhook.id(),
                List.of(new PagedQuery.Equals("event_id", eventId)), after, limit, (rs, ctx) -> delivery(rs), WebhookDelivery::id);
    }

    /** What an attempt does to its queued event besides counting. */
    sealed interface Change {
        record Delivered() implements Change {}

        record Retry(Instant at) implements Change {}

        record GiveUp() implements Change {}

        /** A replay that failed leaves the schedule as it was. */
        record Keep() implements Change {}
    }

    /**
     * Records an attempt and its change to the queued event, in the caller's transaction. Only a
     * pending event is rescheduled or given up: a replay may have delivered it meanwhile. Empty
     * when the event is no longer queued (its endpoint was deleted).
     */
    Optional<WebhookDelivery> recordIn(Handle h, QueuedEvent queued, Outcome outcome, Change change, Instant at) {
        if (h.createUpdate("UPDATE webhook_queue SET attempts = attempts + 1 WHERE id = :id").bind("id", queued.id()).execute() == 0) {
            return Optional.empty();
        }
        int attempt = h.createQuery("SELECT attempts FROM webhook_queue WHERE id = :id").bind("id", queued.id()).mapTo(Integer.class).one();
        switch (change) {
            case Change.Delivered delivered -> h.createUpdate("UPDATE webhook_queue SET state = 'DELIVERED', next_attempt_at = NULL WHERE id = :id")
                    .bind("id", queued.id()).execute();
            case Change.Retry retry -> h.createUpdate("UPDATE webhook_queue SET next_attempt_at = :at WHERE id = :id AND state = 'PENDING'")
                    .bind("at", Rows.timestamp(retry.at())).bind("id", queued.id()).execute();
            case Change.GiveUp giveUp -> h.createUpdate("UPDATE webhook_queue SET state = 'FAILED', next_attempt_at = NULL "
                    + "WHERE id = :id AND state = 'PENDING'").bind("id", queued.id()).execute();
            case Change.Keep keep -> { }
        }
        var delivery = switch (outcome) {
            case Outcome.Answered answered -> new WebhookDelivery(ids.next("dlv"), queued.webhookId(), queued.eventId(), queued.eventType(),
                    attempt, answered.status(), null, answered.took().toMillis(), at);
            case Outcome.Unreached unreached -> new WebhookDelivery(ids.next("dlv"), queued.webhookId(), queued.eventId(), queued.eventType(),
                    attempt, null, truncate(unreached.error()), unreached.took().toMillis(), at);
        };
        h.createUpdate("INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS + ", queue_id) VALUES "
                        + "(:id, :webhook, :event, :type, :attempt, :status, :error, :duration, :at, :queue)")
                .bind("id", delivery.id()).bind("webhook", delivery.webhookId()).bind("event", delivery.eventId())
                .bind("type", delivery.eventType()).bind("attempt", attempt).bindByType("status", delivery.statusCode(), Integer.class)
                .bind("error", delivery.error()).bind("duration", (int) Math.min(Integer.MAX_VALUE, delivery.durationMs()))
                .bind("at", Rows.timestamp(at)).bind("queue", queued.id())
                .execute();
        return Optional.of(delivery);
    }

    /** Removes finished events (delivered or given up) queued before {@code cutoff}, with their attempts. */
    int purgeFinishedBefore(Instant cutoff) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhook_queue WHERE created_at < :cutoff AND next_attempt_at IS NULL")
                .bind("cutoff", Rows.timestamp(cutoff)).execute());
    }

    /** The id up to which the event log has been queued; at the very first start, {@code start}. */
    String position(String start) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO webhook_log_position (id, event_id) VALUES (1, :start) ON CONFLICT DO NOTHING").bind("start", start).execute();
            return h.createQuery("SELECT event_id FROM webhook_log_position WHERE id = 1").mapTo(String.class).one();
        });
    }

    /** Moves the position forward (never back: another node may have moved it further). */
    void advance(String eventId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_log_position SET event_id = :event WHERE id = 1 AND event_id < :event")
                .bind("event", eventId).execute());
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }

    private static QueuedEvent queued(ResultSet rs) throws SQLException {
        return new QueuedEvent(rs.getString("id"), rs.getString("webhook_id"), rs.getString("event_id"), rs.getString("event_type"),
                Rows.instant(rs, "created_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(rs.getString("id"), rs.getString("webhook_id"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getInt("attempt"), (Integer) rs.getObject("status_code"), rs.getString("error"), rs.getLong("duration_ms"),
                Rows.instant(rs, "attempted_at"));
    }
}
