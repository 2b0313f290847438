package dev.mailroom.delivery;

import java.time.Duration;

/** A rate: at most {@code count} events per {@code per}, which may come in one burst. */
public record Rate(int count, Duration per) {
    public Rate {
        if (count < 1 || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate is a positive count per a positive duration");
        }
    }

    /** The time one event occupies: the rate's emission interval. */
    long intervalMicros() {
        return Math.max(1, per.toNanos() / 1000 / count);
    }
}
