package dev.mailroom.reputation;

import dev.mailroom.store.Rows;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the roll-ups {@link StatsRollup} writes. Windows are taken to the minute: {@code from}
 * is rounded down and {@code to} up to a whole minute, and each part of the window is read
 * from the largest buckets that fit it (days in the middle, hours and minutes at the edges).
 * Where the minute buckets are gone (older than 48 hours) an edge is widened to its hour, and
 * where the hour buckets are gone (older than 400 days) to its day. Figures lag the log by the
 * roll-up's late-commit margin and period (about 65 seconds).
 */
public final class Stats {
    private final Jdbi jdbi;
    private final Clock clock;
    private final int minVolume;

    /** A bucket of a series and its counts. */
    public record Point(Instant start, Counts counts) {}

    /** What a tenant sent in a calendar month (UTC), for billing. */
    public record Usage(String tenantId, YearMonth month, Counts counts) {}

    /** @param minVolume {@code reputation.min_volume}: the denominator below which a rate says nothing */
    public Stats(Jdbi jdbi, Clock clock, int minVolume) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.minVolume = minVolume;
    }

    public int minVolume() {
        return minVolume;
    }

    /** The oldest bucket of {@code interval} still kept: a series reaching further back finds zeros there. */
    public Instant horizon(Interval interval) {
        return Retention.horizon(interval, clock.instant());
    }

    /** The counts of a window. */
    public Counts totals(StatsFilter filter, Instant from, Instant to) {
        return grouped(null, filter, from, to).getOrDefault("", Counts.ZERO);
    }

    /**
     * The counts of each bucket of {@code interval} from the one holding {@code from} up to
     * {@code to} (exclusive), buckets without any count included as zeros.
     */
    public List<Point> series(StatsFilter filter, Instant from, Instant to, Interval interval) {
        var start = interval.floor(from);
        var sql = new StringBuilder("SELECT bucket_start, metric, SUM(count) AS total FROM stats_counts WHERE granularity = :granularity "
                + "AND bucket_start >= :from AND bucket_start < :to");
        conditions(sql, filter);
        sql.append(" GROUP BY bucket_start, metric");
        var byStart = new HashMap<Instant, Map<Metric, Long>>();
        jdbi.useHandle(h -> {
            var query = h.createQuery(sql.toString()).bind("granularity", interval.wireName())
                    .bind("from", Rows.timestamp(start)).bind("to", Rows.timestamp(to));
            bind(query, filter).map((rs, ctx) -> {
                byStart.computeIfAbsent(Rows.instant(rs, "bucket_start"), s -> new EnumMap<>(Metric.class))
                        .put(Metric.fromWireName(rs.getString("metric")), rs.getLong("total"));
                return null;
            }).list();
        });
        var points = new ArrayList<Point>();
        for (var at = start; at.isBefore(to); at = at.plus(interval.length())) {
            points.add(new Point(at, Counts.of(byStart.getOrDefault(at, Map.of()))));
        }
        return points;
    }

    /** The counts of each tenant within the filter (e.g. the tenants of one pool), by tenant id. */
    public Map<String, Counts> byTenant(StatsFilter filter, Instant from, Instant to) {
        return grouped("tenant_id", filter, from, to);
    }

    /** The counts of each provider within the filter. */
    public Map<Provider, Counts> byProvider(StatsFilter filter, Instant from, Instant to) {
        var byProvider = new EnumMap<Provider, Counts>(Provider.class);
        grouped("provider", filter, from, to).forEach((name, counts) -> byProvider.put(Provider.fromWireName(name), counts));
        return byProvider;
    }

    /** The counts of each of a tenant's sending domains, by domain id. */
    public Map<String, Counts> byDomain(String tenantId, Instant from, Instant to) {
        return grouped("domain_id", StatsFilter.tenant(tenantId), from, to);
    }

    /** The largest count of {@code metric} a tenant had in one UTC hour whose start lies in the window; 0 when none. */
    public long maxHourly(String tenantId, Metric metric, Instant from, Instant to) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(total), 0) FROM (SELECT SUM(count) AS total FROM stats_counts "
                        + "WHERE granularity = 'hour' AND tenant_id = :tenant AND metric = :metric AND bucket_start >= :from AND bucket_start < :to "
                        + "GROUP BY bucket_start) hourly")
                .bind("tenant", tenantId).bind("metric", metric.wireName())
                .bind("from", Rows.timestamp(from)).bind("to", Rows.timestamp(to))
                .mapTo(Long.class).one());
    }

    /**
     * Each tenant's counts for a month, in tenant id order: one tenant's (a row of zeros when it
     * sent nothing) or, with a null tenant, every tenant that has any.
     */
    public List<Usage> usage(String tenantId, YearMonth month) {
        var from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        var to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        var byTenant = new TreeMap<>(grouped("tenant_id", StatsFilter.tenant(tenantId), from, to));
        if (tenantId != null) {
            byTenant.putIfAbsent(tenantId, Counts.ZERO);
        }
        return byTenant.entrySet().stream().map(entry -> new Usage(entry.getKey(), month, entry.getValue())).toList();
    }

    /** Counts within the filter and window, grouped by a column (null: one group, named ''). */
    private Map<String, Counts> grouped(String column, StatsFilter filter, Instant from, Instant to) {
        var parts = parts(from, to, clock.instant());
        if (parts.isEmpty()) {
            return Map.of();
        }
        var group = column == null ? "''" : column;
        var sql = new StringBuilder("SELECT " + group + " AS grp, metric, SUM(count) AS total FROM stats_counts WHERE (");
        for (int i = 0; i < parts.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("(granularity = :g").append(i).append(" AND bucket_start >= :s").append(i)
                    .append(" AND bucket_start < :e").append(i).append(")");
        }
        sql.append(")");
        conditions(sql, filter);
        sql.append(column == null ? " GROUP BY metric" : " GROUP BY " + column + ", metric");
        var metrics = new LinkedHashMap<String, Map<Metric, Long>>();
        jdbi.useHandle(h -> {
            var query = h.createQuery(sql.toString());
            for (int i = 0; i < parts.size(); i++) {
                var part = parts.get(i);
                query.bind("g" + i, part.interval().wireName()).bind("s" + i, Rows.timestamp(part.from())).bind("e" + i, Rows.timestamp(part.to()));
            }
            bind(query, filter).map((rs, ctx) -> {
                metrics.computeIfAbsent(rs.getString("grp"), g -> new EnumMap<>(Metric.class))
                        .put(Metric.fromWireName(rs.getString("metric")), rs.getLong("total"));
                return null;
            }).list();
        });
        var counts = new LinkedHashMap<String, Counts>();
        metrics.forEach((name, values) -> counts.put(name, Counts.of(values)));
        return counts;
    }

    /** A run of buckets of one size: those starting in [from, to). */
    record Part(Interval interval, Instant from, Instant to) {}

    /**
     * The buckets that make up a window: whole days in the middle, whole hours beside them, minutes
     * at the edges; an edge older than the retention of its buckets is widened to the next size.
     */
    static List<Part> parts(Instant from, Instant to, Instant now) {
        var start = Interval.MINUTE.floor(from);
        var end = Interval.MINUTE.ceil(to);
        for (var size : List.of(Interval.MINUTE, Interval.HOUR)) {
            var coarser = size == Interval.MINUTE ? Interval.HOUR : Interval.DAY;
            var horizon = Retention.horizon(size, now);
            if (start.isBefore(horizon)) {
                start = coarser.floor(start);
            }
            if (!end.isAfter(horizon)) {
                end = coarser.ceil(end);
            }
        }
        var parts = new ArrayList<Part>();
        split(parts, Interval.DAY, start, end);
        return parts;
    }

    /** Adds the parts of [from, to): the whole buckets of {@code size}, the edges split in smaller ones. */
    private static void split(List<Part> parts, Interval size, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return;
        }
        if (size == Interval.MINUTE) {
            parts.add(new Part(size, from, to));
            return;
        }
        var smaller = size == Interval.DAY ? Interval.HOUR : Interval.MINUTE;
        var first = size.ceil(from);
        var last = size.floor(to);
        if (!first.isBefore(last)) {
            split(parts, smaller, from, to);
            return;
        }
        split(parts, smaller, from, first);
        parts.add(new Part(size, first, last));
        split(parts, smaller, last, to);
    }

    /** The filter's restrictions as {@code AND column = :column}, each bound by {@link #bind}. */
    private static void conditions(StringBuilder sql, StatsFilter filter) {
        for (var condition : restrictions(filter)) {
            sql.append(" AND ").append(condition.column()).append(" = :").append(condition.column());
        }
    }

    private static Query bind(Query query, StatsFilter filter) {
        for (var condition : restrictions(filter)) {
            query.bind(condition.column(), condition.value());
        }
        return query;
    }

    private static List<Condition> restrictions(StatsFilter filter) {
        return java.util.stream.Stream.of(new Condition("tenant_id", filter.tenantId()), new Condition("domain_id", filter.domainId()),
                        new Condition("pool_id", filter.poolId()), new Condition("source_ip", filter.sourceIp()),
                        new Condition("provider", filter.provider() == null ? null : filter.provider().wireName()))
                .filter(condition -> condition.value() != null).toList();
    }

    private record Condition(String column, String value) {}
}
