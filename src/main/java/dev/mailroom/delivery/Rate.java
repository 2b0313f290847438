package dev.mailroom.delivery;

import java.time.Duration;

/** A rate: at most {@code count} events per {@code per}, which may come in one burst. */
public record Rate(int count, Duration per) {
    public Rate {
        if (count < 1 || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate is a positive count per a positive duration");
        }
    }

    /**
     * Reads {@code <count>/<unit>}, the unit one of s, m, h, d ({@code 3000/h}), or a period in
     * milliseconds ({@code 1/2000ms}, as {@link #toString} writes a halved rate).
     */
    public static Rate parse(String text) {
        var matcher = java.util.regex.Pattern.compile("(\\d{1,9})/(s|m|h|d|[1-9]\\d{0,11}ms)").matcher(text.strip());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
            throw new IllegalArgumentException("expected a rate such as 10/s, 600/m or 3000/h, got '" + text + "'");
        }
        var unit = matcher.group(2);
        var per = switch (unit) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> Duration.ofMillis(Long.parseLong(unit.substring(0, unit.length() - 2)));
        };
        return new Rate(Integer.parseInt(matcher.group(1)), per);
    }

    /** This rate divided by {@code 2^halvings} (at most 20): fewer events per period, then longer periods. */
    public Rate halved(int halvings) {
        int h = Math.min(Math.max(halvings, 0), 20);
        if (count >> h >= 1) {
            return new Rate(count >> h, per);
        }
        return new Rate(1, per.multipliedBy(1L << h).dividedBy(count));
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        var unit = per.equals(Duration.ofSeconds(1)) ? "s" : per.equals(Duration.ofMinutes(1)) ? "m" : per.equals(Duration.ofHours(1)) ? "h"
                : per.equals(Duration.ofDays(1)) ? "d" : per.toMillis() + "ms";
        return count + "/" + unit;
    }

    /** The time one event occupies: the rate's emission interval. */
    long intervalMicros() {
        return Math.max(1, per.toNanos() / 1000 / count);
    }
}
