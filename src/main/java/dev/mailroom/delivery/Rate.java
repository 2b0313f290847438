package dev.mailroom.delivery;

import java.time.Duration;

/** A rate: at most {@code count} events per {@code per}, which may come in one burst. */
public record Rate(int count, Duration per) {
    public Rate {
        if (count < 1 || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate is a positive count per a positive duration");
        }
    }

    /** Reads {@code <count>/<unit>}, the unit one of s, m, h, d: {@code 3000/h}. */
    public static Rate parse(String text) {
        var matcher = java.util.regex.Pattern.compile("(\\d{1,9})/(s|m|h|d)").matcher(text.strip());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) < 1) {
            throw new IllegalArgumentException("expected a rate such as 10/s, 600/m or 3000/h, got '" + text + "'");
        }
        var per = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
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

    @Override
    public String toString() {
        var unit = switch ((int) per.toSeconds()) {
            case 1 -> "s";
            case 60 -> "m";
            case 3600 -> "h";
            case 86400 -> "d";
            default -> per.toMillis() + "ms";
        };
        return count + "/" + unit;
    }

    /** The time one event occupies: the rate's emission interval. */
    long intervalMicros() {
        return Math.max(1, per.toNanos() / 1000 / count);
    }
}
