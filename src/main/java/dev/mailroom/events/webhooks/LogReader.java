package dev.mailroom.events.webhooks;

import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Follows the event log for webhooks: queues each new event for the active endpoints that want it.
 *
 * <p>An event's id is made before its transaction commits, so an event can become visible behind
 * one already read (a long transaction, or another node whose clock is a little behind): reading
 * on from the newest id seen would skip it. So each poll reads on from the newest id seen, and
 * every {@link #SWEEP_INTERVAL} the reader reads again from its durable position up to
 * {@link #LATE_COMMIT_MARGIN} ago, queues what it had not seen, and moves the position there.
 * Only an event committed more than the margin after its id was made would be missed. After a
 * restart the reader starts from that position, so it reads again at most the margin and an
 * interval of events; the queue keeps one row per event and endpoint, so nothing is sent twice
 * for it.
 */
final class LogReader {
    static final Duration LATE_COMMIT_MARGIN = Duration.ofMinutes(1);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);
    static final int PAGE = 1000;
    private static final String EVENT_PREFIX = "evt";
    private final EventLog events;
    private final WebhookQueue queue;
    private final Clock clock;
    /** Every event up to this id is queued; kept in the database. */
    private String position;
    /** The newest id read. */
    private String readUpTo;
    /** Ids read past the position, which a sweep need not queue again. */
    private final Set<String> seen = new HashSet<>();
    private Instant lastSweep;

    LogReader(EventLog events, WebhookQueue queue, Clock clock) {
        this.events = events;
        this.queue = queue;
        this.clock = clock;
        // at the very first start no endpoint exists, so the log written before is no endpoint's
        this.position = queue.position(Ids.first(EVENT_PREFIX, clock.instant()));
        this.readUpTo = position;
        this.lastSweep = clock.instant();
    }

    /**
     * Queues the events written since the last poll, and those that committed late, for the
     * endpoints active then. They are asked for after the events are read: an endpoint created
     * before an event was written is then seen, though it was not when the poll began.
     */
    void poll(Supplier<List<Webhook>> active) {
        List<Event> page;
        do {
            page = events.after(readUpTo, PAGE);
            queue(page, active);
            if (!page.isEmpty()) {
                readUpTo = page.getLast().id();
            }
        } while (page.size() == PAGE);
        var now = clock.instant();
        if (!now.isBefore(lastSweep.plus(SWEEP_INTERVAL))) {
            sweep(active, now);
            lastSweep = now;
        }
    }

    private void sweep(Supplier<List<Webhook>> active, Instant now) {
        var bound = Ids.first(EVENT_PREFIX, now.minus(LATE_COMMIT_MARGIN));
        var reached = position;
        List<Event> page;
        do {
            page = events.after(reached, PAGE).stream().filter(event -> event.id().compareTo(bound) < 0).toList();
            queue(page.stream().filter(event -> !seen.contains(event.id())).toList(), active);
            if (!page.isEmpty()) {
                reached = page.getLast().id();
            }
        } while (page.size() == PAGE);
        if (reached.compareTo(position) > 0) {
            queue.advance(reached);
            var advanced = reached;
            seen.removeIf(id -> id.compareTo(advanced) <= 0);
            position = reached;
        }
    }

    private void queue(List<Event> read, Supplier<List<Webhook>> active) {
        if (read.isEmpty()) {
            return;
        }
        var webhooks = active.get();
        var entries = new ArrayList<WebhookQueue.Entry>();
        for (var event : read) {
            seen.add(event.id());
            for (var webhook : webhooks) {
                if (webhook.wants(event)) {
                    entries.add(new WebhookQueue.Entry(webhook.id(), event));
                }
            }
        }
        queue.enqueue(entries, clock.instant());
    }
}
