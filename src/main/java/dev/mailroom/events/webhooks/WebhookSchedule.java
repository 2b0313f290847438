package dev.mailroom.events.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again. The first attempt is made as soon as the event is read;
 * retries come {@code delays} apart, counted from when the event was queued (so an endpoint
 * down while Mailroom was stopped, or a replay in between, shifts nothing), each spread by ±10%
 * of its delay so that events failing together do not all come back together. A retry whose
 * time has passed (Mailroom was down) is not made up: the next one still ahead is due.
 */
public final class WebhookSchedule {
    /**
     * Svix's schedule, as Standard Webhooks suggests: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
     * The last retry comes 27 h 35 min after the event (at least 26.5 h with jitter), so every
     * event is tried for more than 24 hours, in 8 attempts.
     */
    public static final List<Duration> STANDARD = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    static final double JITTER = 0.10;
    private final List<Duration> delays;
    private final RandomGenerator random;

    /** @param random must be safe to share between threads, e.g. {@code ThreadLocalRandom.current()} */
    public WebhookSchedule(List<Duration> delays, RandomGenerator random) {
        if (delays.stream().anyMatch(delay -> !delay.isPositive())) {
            throw new IllegalArgumentException("retry delays must be positive, got " + delays);
        }
        this.delays = List.copyOf(delays);
        this.random = random;
    }

    /**
     * When to try again after an attempt failed at {@code failedAt}, or empty to give up: the
     * first retry whose time, jittered, cannot come before the failure. (An attempt made early by
     * its jitter is its retry, not the one before it.)
     */
    public Optional<Instant> next(Instant queuedAt, Instant failedAt) {
        var due = queuedAt;
        for (var delay : delays) {
            due = due.plus(delay);
            long spread = Math.round(delay.toMillis() * JITTER);
            if (due.minusMillis(spread).isAfter(failedAt)) {
                return Optional.of(due.plusMillis(Math.round(spread * (2 * random.nextDouble() - 1))));
            }
        }
        return Optional.empty();
    }
}
