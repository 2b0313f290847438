package dev.mailroom.reputation;

import java.time.Duration;
import java.time.Instant;

/** How long buckets of each size are kept: minutes 48 hours, hours 400 days (a year and a month to compare), days for good. */
final class Retention {
    static final Duration MINUTES = Duration.ofHours(48);
    static final Duration HOURS = Duration.ofDays(400);

    private Retention() {}

    /** The oldest bucket start of {@code interval} still kept at {@code now}; {@link Instant#MIN} for days. */
    static Instant horizon(Interval interval, Instant now) {
        return switch (interval) {
            case MINUTE -> Interval.MINUTE.floor(now.minus(MINUTES));
            case HOUR -> Interval.HOUR.floor(now.minus(HOURS));
            case DAY -> Instant.MIN;
        };
    }

    static boolean keeps(Interval interval, Instant bucketStart, Instant now) {
        return !bucketStart.isBefore(horizon(interval, now));
    }
}
