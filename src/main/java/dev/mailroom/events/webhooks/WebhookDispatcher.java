package dev.mailroom.events.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs webhook delivery: every tick it has the {@link LogReader} queue new events, then takes each
 * active endpoint's due events and sends each on a virtual thread of its own, at most
 * {@link #MAX_IN_FLIGHT} at once per endpoint. The loop never waits for a send, so a slow or dead
 * endpoint holds up only its own events.
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Enough to keep up with a busy agency endpoint, few enough not to flood a small receiver. */
    static final int MAX_IN_FLIGHT = 10;
    /**
     * How long a claimed event is held by the node attempting it: well past the attempt's timeout,
     * so two nodes never send it at once; a node that dies mid-attempt leaves it due after this.
     */
    static final Duration LEASE = Duration.ofMinutes(2);
    /** Finished events and their attempts are kept this long for the deliveries list and replays. */
    static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private final WebhookRepository webhooks;
    private final WebhookQueue queue;
    private final LogReader reader;
    private final Courier courier;
    private final Duration sendTimeout;
    private final Clock clock;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("webhook-send-", 0).factory());
    private Instant nextPurge;
    private volatile Thread loop;

    /** @param sendTimeout how long one send may take, which closing waits for */
    WebhookDispatcher(WebhookRepository webhooks, WebhookQueue queue, LogReader reader, Courier courier, Duration sendTimeout, Clock clock) {
        this.webhooks = webhooks;
        this.sendTimeout = sendTimeout;
        this.queue = queue;
        this.reader = reader;
        this.courier = courier;
        this.clock = clock;
        this.nextPurge = clock.instant();
    }

    /** Runs a round every {@code tick} on a virtual thread until closed; after failed rounds (the database away), less often. */
    void start(Duration tick) {
        loop = Thread.ofVirtual().name("webhook-dispatcher").start(() -> {
            var wait = tick;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    round();
                    wait = tick;
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return; // closing interrupted a database call
                    }
                    wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
                    LOG.error("webhook round failed; the next one comes in {}", wait, e);
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void round() {
        reader.poll(() -> webhooks.active().stream().map(Target::webhook).toList());
        var targets = webhooks.active();
        var now = clock.instant();
        for (var target : targets) {
            dispatch(target, now);
        }
        forgetGone(targets);
        if (!now.isBefore(nextPurge)) {
            int purged = queue.purgeFinishedBefore(now.minus(RETENTION));
            if (purged > 0) {
                LOG.info("Webhooks: {} finished events older than {} removed with their deliveries", purged, RETENTION);
            }
            nextPurge = now.plus(PURGE_INTERVAL);
        }
    }

    /**
     * Starts sends of the endpoint's due events while it has room. A send that delivered makes
     * room and looks for more at once, so a working endpoint is not held to one batch per tick; a
     * failing one waits for the next tick, which also finds it disabled or deleted.
     */
    private void dispatch(Target target, Instant now) {
        var running = inFlight.computeIfAbsent(target.webhook().id(), id -> new AtomicInteger());
        synchronized (running) {
            int room = MAX_IN_FLIGHT - running.get();
            if (room <= 0 || senders.isShutdown()) {
                return;
            }
            for (var queued : queue.due(target.webhook().id(), now, room)) {
                if (queue.claim(queued.id(), now, now.plus(LEASE))) {
                    running.incrementAndGet();
                    try {
                        senders.execute(() -> send(target, queued, running));
                    } catch (RejectedExecutionException stopping) {
                        running.decrementAndGet(); // the claim runs out and the event is sent after the restart
                        return;
                    }
                }
            }
        }
    }

    private void send(Target target, QueuedEvent queued, AtomicInteger running) {
        boolean delivered = false;
        try {
            delivered = courier.attempt(target, queued);
        } catch (InterruptedException e) {
            return; // stopping: the claim runs out and the event is sent again after the restart
        } catch (RuntimeException e) {
            LOG.warn("webhook {}: the attempt at event {} did not complete; it is made again after {}", target.webhook().id(),
                    queued.eventId(), LEASE, e);
        } finally {
            running.decrementAndGet();
        }
        if (delivered) {
            try {
                dispatch(target, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("webhook {}: looking for more due events failed; the next tick does", target.webhook().id(), e);
            }
        }
    }

    /** Drops the counters of endpoints deleted or disabled, once their sends are over. */
    private void forgetGone(List<Target> targets) {
        var active = new HashSet<String>();
        targets.forEach(target -> active.add(target.webhook().id()));
        inFlight.entrySet().removeIf(entry -> !active.contains(entry.getKey()) && entry.getValue().get() == 0);
    }

    /**
     * Stops taking events and lets the sends under way finish (each is bounded by its timeout);
     * any still running after that are interrupted, and their events sent again after the claim runs out.
     */
    @Override
    public void close() {
        var running = loop;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
        try {
            if (!senders.awaitTermination(sendTimeout.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
