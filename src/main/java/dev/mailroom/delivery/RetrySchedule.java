package dev.mailroom.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a recipient again after a soft failure: the first wait, doubled after every further
 * failure up to a cap, each spread by ±10% so that messages deferred together do not all come back
 * together; no further attempt once it would fall past the message's maximum age.
 */
public final class RetrySchedule {
    public static final Duration DEFAULT_FIRST_DELAY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofHours(4);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(5);
    static final double JITTER = 0.10;

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration maxAge;
    private final RandomGenerator random;

    /**
     * @param maxDelay the cap on the doubled wait, before jitter: a capped wait is spread around it too
     * @param random must be safe to share between threads, e.g. {@code ThreadLocalRandom.current()}
     */
    public RetrySchedule(Duration firstDelay, Duration maxDelay, Duration maxAge, RandomGenerator random) {
        if (!firstDelay.isPositive()) {
            throw new IllegalArgumentException("the first retry delay must be positive, got " + firstDelay);
        }
        if (maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("the longest retry delay " + maxDelay + " is shorter than the first " + firstDelay);
        }
        if (!maxAge.isPositive()) {
            throw new IllegalArgumentException("the maximum message age must be positive, got " + maxAge);
        }
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.maxAge = maxAge;
        this.random = Objects.requireNonNull(random, "random");
    }

    public static RetrySchedule defaults(RandomGenerator random) {
        return new RetrySchedule(DEFAULT_FIRST_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_AGE, random);
    }

    /** The wait after the given number of failed attempts, before jitter: 5m, 10m, 20m, ... up to the cap. */
    public Duration baseDelay(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("a retry follows at least one failed attempt, got " + failedAttempts);
        }
        var delay = firstDelay;
        // doubling stops at the cap, so a long-deferred message cannot overflow the duration
        for (int i = 1; i < failedAttempts && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) < 0 ? delay : maxDelay;
    }

    /**
     * When to make the next attempt, or empty to give up: the next attempt would come after the
     * message's maximum age.
     *
     * @param failedAttempts the attempts made so far, all failed, counting the one that just failed
     * @param queuedAt when the message was accepted; its age counts from there
     * @param failedAt when the last attempt failed
     */
    public Optional<Instant> next(int failedAttempts, Instant queuedAt, Instant failedAt) {
        var base = baseDelay(failedAttempts);
        double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
        var next = failedAt.plusMillis(Math.round(base.toMillis() * factor));
        return next.isAfter(queuedAt.plus(maxAge)) ? Optional.empty() : Optional.of(next);
    }
}
