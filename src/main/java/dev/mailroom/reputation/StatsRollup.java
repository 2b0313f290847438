package dev.mailroom.reputation;

import com.google.common.net.InetAddresses;
import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import dev.mailroom.feedback.ComplaintReport;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the event log into the counts {@link Stats} reads: per minute, hour and day, by tenant,
 * domain, pool, source address and provider.
 *
 * <p>Exactly once across nodes: the position in the log is one row, and a page of events is
 * counted in the transaction that moves it with a compare-and-set from where the page was read;
 * a node that finds it moved (another node counted that page) rolls back and reads on from the
 * new position. An event's id is made before its transaction commits, so an event can appear
 * behind one already read; only events whose id is older than {@link #LATE_COMMIT_MARGIN} are
 * folded, by which time every transaction that made such an id has committed or failed.
 */
public final class StatsRollup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsRollup.class);
    static final Duration LATE_COMMIT_MARGIN = Duration.ofMinutes(1);
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final Duration PRUNE_PERIOD = Duration.ofMinutes(10);
    static final int PAGE = 1000;
    private static final String EVENT_PREFIX = "evt";
    private final Jdbi jdbi;
    private final EventLog events;
    private final Pools pools;
    private final Clock clock;
    private ScheduledExecutorService runner;
    private Instant lastPrune = Instant.MIN;

    /** Where pools are found, asked at most once per address and sender in a catch-up. */
    public interface Pools {
        /** The pool a source address belongs to now, if any. */
        Optional<String> ofAddress(String address);

        /** The pool this tenant's mail from this domain ('' when unknown) leaves from now, if the tenant exists. */
        Optional<String> ofSender(String tenantId, String domainId);
    }

    public StatsRollup(Jdbi jdbi, EventLog events, Pools pools, Clock clock) {
        this.jdbi = jdbi;
        this.events = events;
        this.pools = pools;
        this.clock = clock;
    }

    /** Folds every event older than the margin that is not counted yet; answers how many this node counted. */
    public int catchUp() {
        var bound = Ids.first(EVENT_PREFIX, clock.instant().minus(LATE_COMMIT_MARGIN));
        var attribution = new Attribution(pools);
        int counted = 0;
        while (true) {
            var position = jdbi.withHandle(h -> h.createQuery("SELECT position FROM stats_cursor WHERE id = 1").mapTo(String.class).one());
            var page = events.after(position, PAGE).stream().filter(event -> event.id().compareTo(bound) < 0).toList();
            if (page.isEmpty()) {
                return counted;
            }
            var buckets = attribution.count(page, clock.instant());
            if (!jdbi.inTransaction(h -> fold(h, position, page.getLast().id(), buckets))) {
                continue; // another node counted from the same position: read on from where it got to
            }
            counted += page.size();
            if (page.size() < PAGE) {
                return counted; // read to the end of the log, or to the margin
            }
        }
    }

    /** Moves the position from {@code from} to {@code to} and adds the counts; false (and nothing written) when another node moved it first. */
    private boolean fold(Handle h, String from, String to, Map<Bucket, Long> buckets) {
        int moved = h.createUpdate("UPDATE stats_cursor SET position = :to, updated_at = :now WHERE id = 1 AND position = :from")
                .bind("to", to).bind("from", from).bind("now", Rows.timestamp(clock.instant())).execute();
        if (moved == 0) {
            return false;
        }
        // the cursor row is locked from here to the commit, so no other node adds counts meanwhile: no insert can collide
        var keys = List.copyOf(buckets.keySet());
        var update = h.prepareBatch("UPDATE stats_counts SET count = count + :n WHERE granularity = :granularity AND bucket_start = :start "
                + "AND tenant_id = :tenant AND domain_id = :domain AND pool_id = :pool AND source_ip = :ip AND provider = :provider AND metric = :metric");
        for (var key : keys) {
            bind(update, key).bind("n", buckets.get(key)).add();
        }
        int[] updated = update.execute();
        var insert = h.prepareBatch("INSERT INTO stats_counts (granularity, bucket_start, tenant_id, domain_id, pool_id, source_ip, provider, "
                + "metric, count) VALUES (:granularity, :start, :tenant, :domain, :pool, :ip, :provider, :metric, :n)");
        boolean inserting = false;
        for (int i = 0; i < keys.size(); i++) {
            if (updated[i] == 0) {
                bind(insert, keys.get(i)).bind("n", buckets.get(keys.get(i))).add();
                inserting = true;
            }
        }
        if (inserting) {
            insert.execute();
        }
        return true;
    }

    private static org.jdbi.v3.core.statement.PreparedBatch bind(org.jdbi.v3.core.statement.PreparedBatch batch, Bucket key) {
        return batch.bind("granularity", key.interval().wireName()).bind("start", Rows.timestamp(key.start()))
                .bind("tenant", key.tenantId()).bind("domain", key.domainId()).bind("pool", key.poolId()).bind("ip", key.sourceIp())
                .bind("provider", key.provider().wireName()).bind("metric", key.metric().wireName());
    }

    /** Removes minute and hour buckets past their retention; answers how many rows went. */
    public int prune() {
        var now = clock.instant();
        return jdbi.withHandle(h -> {
            int removed = 0;
            for (var interval : List.of(Interval.MINUTE, Interval.HOUR)) {
                removed += h.createUpdate("DELETE FROM stats_counts WHERE granularity = :granularity AND bucket_start < :horizon")
                        .bind("granularity", interval.wireName()).bind("horizon", Rows.timestamp(Retention.horizon(interval, now)))
                        .execute();
            }
            return removed;
        });
    }

    /** Catches up every {@link #PERIOD} on a virtual thread, and prunes every {@link #PRUNE_PERIOD}. */
    public StatsRollup start() {
        runner = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("stats-rollup").factory());
        runner.scheduleWithFixedDelay(this::run, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void run() {
        try {
            catchUp();
            var now = clock.instant();
            if (!now.isBefore(lastPrune.plus(PRUNE_PERIOD))) {
                lastPrune = now;
                prune();
            }
        } catch (RuntimeException e) {
            LOG.warn("stats roll-up failed; it runs again in {}", PERIOD, e);
        }
    }

    @Override
    public void close() {
        if (runner == null) {
            return;
        }
        runner.shutdownNow();
        try {
            runner.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What an event counts as, if anything. Bounces found at delivery carry no bounce type and are
     * hard; opens and clicks the tracker took for a machine's count for nothing.
     */
    static Optional<Metric> metricOf(Event event) {
        var data = event.data();
        return Optional.ofNullable(switch (event.type()) {
            case "message.queued" -> Metric.SENT;
            case "message.delivered" -> Metric.DELIVERED;
            case "message.deferred" -> Metric.DEFERRED;
            case "message.bounced" -> "soft".equals(data.get("bounce_type")) ? Metric.SOFT_BOUNCED : Metric.HARD_BOUNCED;
            case "message.failed" -> Metric.FAILED;
            case "message.complained" -> ComplaintReport.byRecipient(String.valueOf(data.getOrDefault("feedback_type", "abuse")))
                    ? Metric.COMPLAINED : null;
            case "message.opened" -> Boolean.TRUE.equals(data.get("machine")) ? null : Metric.OPENED;
            case "message.clicked" -> Boolean.TRUE.equals(data.get("machine")) ? null : Metric.CLICKED;
            case "message.unsubscribed" -> Metric.UNSUBSCRIBED;
            case "message.suppressed" -> Metric.SUPPRESSED;
            default -> null;
        });
    }

    /** One row of {@code stats_counts}, count aside. */
    record Bucket(Interval interval, Instant start, String tenantId, String domainId, String poolId, String sourceIp, Provider provider,
            Metric metric) {}

    /** Turns events into bucket counts, finding each event's pool once per address and sender. */
    private static final class Attribution {
        private final Pools pools;
        private final Map<String, String> addressPools = new HashMap<>();
        private final Map<List<String>, String> senderPools = new HashMap<>();

        Attribution(Pools pools) {
            this.pools = pools;
        }

        Map<Bucket, Long> count(List<Event> page, Instant now) {
            var counts = new HashMap<Bucket, Long>();
            for (var event : page) {
                var metric = metricOf(event);
                if (metric.isEmpty()) {
                    continue;
                }
                var data = event.data();
                var domainId = text(data.get("domain_id"));
                var sourceIp = address(text(data.get("source_ip")));
                var provider = Provider.of(text(data.get("mx_host")), text(data.get("email")));
                var poolId = poolOf(event.tenantId(), domainId, sourceIp);
                for (var interval : Interval.values()) {
                    var start = interval.floor(event.createdAt());
                    if (Retention.keeps(interval, start, now)) {
                        counts.merge(new Bucket(interval, start, event.tenantId(), domainId, poolId, sourceIp, provider, metric.get()), 1L, Long::sum);
                    }
                }
            }
            return counts;
        }

        private String poolOf(String tenantId, String domainId, String sourceIp) {
            if (!sourceIp.isEmpty()) {
                var pool = addressPools.computeIfAbsent(sourceIp, address -> pools.ofAddress(address).orElse(""));
                if (!pool.isEmpty()) {
                    return pool;
                }
            }
            return senderPools.computeIfAbsent(List.of(tenantId, domainId), sender -> pools.ofSender(tenantId, domainId).orElse(""));
        }

        private static String text(Object value) {
            return value == null ? "" : value.toString();
        }

        /** An address in the canonical text pools keep (RFC 5952); '' for none, or for what a report claimed that is no address. */
        private static String address(String text) {
            return InetAddresses.isInetAddress(text) ? InetAddresses.toAddrString(InetAddresses.forString(text)) : "";
        }
    }
}
