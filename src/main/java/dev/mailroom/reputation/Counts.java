package dev.mailroom.reputation;

import java.util.EnumMap;
import java.util.Map;

/** How many of each {@link Metric} a window, a bucket or a group had. */
public record Counts(long sent, long delivered, long deferred, long hardBounced, long softBounced, long failed, long complained,
        long opened, long clicked, long unsubscribed, long suppressed) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static Counts of(Map<Metric, Long> values) {
        var all = new EnumMap<Metric, Long>(Metric.class);
        for (var metric : Metric.values()) {
            all.put(metric, values.getOrDefault(metric, 0L));
        }
        return new Counts(all.get(Metric.SENT), all.get(Metric.DELIVERED), all.get(Metric.DEFERRED), all.get(Metric.HARD_BOUNCED),
                all.get(Metric.SOFT_BOUNCED), all.get(Metric.FAILED), all.get(Metric.COMPLAINED), all.get(Metric.OPENED),
                all.get(Metric.CLICKED), all.get(Metric.UNSUBSCRIBED), all.get(Metric.SUPPRESSED));
    }

    public long get(Metric metric) {
        return switch (metric) {
            case SENT -> sent;
            case DELIVERED -> delivered;
            case DEFERRED -> deferred;
            case HARD_BOUNCED -> hardBounced;
            case SOFT_BOUNCED -> softBounced;
            case FAILED -> failed;
            case COMPLAINED -> complained;
            case OPENED -> opened;
            case CLICKED -> clicked;
            case UNSUBSCRIBED -> unsubscribed;
            case SUPPRESSED -> suppressed;
        };
    }

    /** Every metric as a map, in {@link Metric} order. */
    public Map<Metric, Long> asMap() {
        var map = new EnumMap<Metric, Long>(Metric.class);
        for (var metric : Metric.values()) {
            map.put(metric, get(metric));
        }
        return map;
    }

    public Counts plus(Counts other) {
        var sum = new EnumMap<Metric, Long>(Metric.class);
        for (var metric : Metric.values()) {
            sum.put(metric, get(metric) + other.get(metric));
        }
        return of(sum);
    }

    /**
     * The rates of these counts (definitions in docs/stats.md); each is null while its
     * denominator is below {@code minVolume}, as a handful of messages says nothing.
     */
    public Rates rates(int minVolume) {
        long bounced = hardBounced + softBounced;
        long attempted = delivered + hardBounced + failed;
        // over what reached an outcome, not what was queued: both sides then count by when it happened,
        // so mail held by a pause or a warm-up cap and sent later weighs in the window of its outcome
        return new Rates(ratio(bounced, attempted, minVolume), ratio(hardBounced, attempted, minVolume), ratio(complained, delivered, minVolume),
                ratio(delivered, attempted, minVolume));
    }

    private static Double ratio(long part, long whole, int minVolume) {
        return whole < minVolume || whole == 0 ? null : (double) part / whole;
    }
}
