package dev.mailroom.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code limit} attempts that did not succeed for one key (an email, an address)
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

    /**
     * Counts an attempt for {@code key} unless the key is blocked, and answers whether it may go
     * on. The count comes before the password is checked, in one atomic step, so that attempts
     * sent all at once cannot each pass before the others are counted; a success clears it.
     */
    boolean attempt(String key) {
        var now = clock.instant();
        if (failures.size() >= MAX_KEYS) {
            failures.values().removeIf(f -> !now.isBefore(f.since().plus(window)));
        }
        var allowed = new boolean[1];
        failures.compute(key, (k, old) -> {
            if (old == null || !now.isBefore(old.since().plus(window))) {
                allowed[0] = true;
                return new Failures(now, 1);
            }
            allowed[0] = old.count() < limit;
            return allowed[0] ? new Failures(old.since(), old.count() + 1) : old;
        });
        return allowed[0];
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}
