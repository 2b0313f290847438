package dev.mailroom.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code limit} failed logins for one key (an email, an address)
 * within {@code window}, further attempts are refused until the window has passed. In memory:
 * each node counts its own, which bounds guessing per node; a restart forgets.
 */
final class LoginThrottle {
    /** Keys kept at most; past this, windows that have ended are dropped first. */
    private static final int MAX_KEYS = 100_000;
    private record Failures(Instant since, int count) {}

    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final int limit;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    boolean blocked(String key) {
        var current = failures.get(key);
        return current != null && current.count() >= limit && clock.instant().isBefore(current.since().plus(window));
    }

    void failed(String key) {
        var now = clock.instant();
        if (failures.size() >= MAX_KEYS) {
            failures.values().removeIf(f -> !now.isBefore(f.since().plus(window)));
        }
        failures.merge(key, new Failures(now, 1),
                (old, one) -> now.isBefore(old.since().plus(window)) ? new Failures(old.since(), old.count() + 1) : one);
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}
