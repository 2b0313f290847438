package dev.mailroom.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RateLimiter} in this process: one theoretical arrival time per key. */
public final class LocalRateLimiter implements RateLimiter {
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> arrivals = new ConcurrentHashMap<>();

    public LocalRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Duration tryTake(String key, Rate rate) {
        long now = clock.instant().toEpochMilli() * 1000;
        long interval = rate.intervalMicros();
        long tolerance = interval * (rate.count() - 1);
        var wait = new long[1];
        arrivals.compute(key, (k, arrival) -> {
            long due = arrival == null ? now : Math.max(arrival, now);
            if (due - now > tolerance) {
                wait[0] = due - tolerance - now;
                return arrival;
            }
            wait[0] = 0;
            return due + interval;
        });
        return Duration.ofNanos(wait[0] * 1000);
    }
}
