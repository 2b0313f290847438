package dev.mailroom.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one DNS check per domain per interval, however many pages poll it: the onboarding
 * page asks every few seconds from every open browser tab, and each check queries the client's
 * name servers afresh.
 */
final class CheckThrottle {
    private final Duration interval;
    private final Clock clock;
    private final ConcurrentHashMap<String, Instant> lastChecks = new ConcurrentHashMap<>();

    CheckThrottle(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Whether {@code domainId} may be checked now; if so, counts this as its check. */
    boolean tryCheck(String domainId) {
        var now = clock.instant();
        // forget checks whose interval is over, so the map holds only domains checked lately
        lastChecks.values().removeIf(at -> !at.plus(interval).isAfter(now));
        return lastChecks.putIfAbsent(domainId, now) == null;
    }
}
