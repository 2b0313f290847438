package dev.mailroom.reputation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The size of a roll-up bucket (UTC), and of the points of a series. */
public enum Interval {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Interval(ChronoUnit unit) {
        this.unit = unit;
    }

    public Duration length() {
        return unit.getDuration();
    }

    /** The start of the bucket holding {@code at}. */
    public Instant floor(Instant at) {
        return at.truncatedTo(unit);
    }

    /** The first bucket start at or after {@code at}. */
    public Instant ceil(Instant at) {
        var floor = floor(at);
        return floor.equals(at) ? floor : floor.plus(length());
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Interval fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
