package dev.mailroom.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * Caps concurrent connections by key (a receiving site, a source address). A connection holds a
 * lease while it is open. Two implementations behave alike: in this process, and in Redis so
 * that several Mailroom nodes share one cap; there a lease expires unless renewed, so a node that
 * dies does not hold its connections' places for ever.
 */
public interface ConnectionLimiter {
    /** A place under a key's cap; give it back with {@link #close}. */
    interface Lease extends AutoCloseable {
        /** Keeps the place: Redis leases expire after {@link #LEASE_LIFETIME} otherwise. */
        void renew();

        @Override
        void close();
    }

    /** Longer than one transaction may take by RFC 5321's timeouts (10 minutes after the final dot), renewed before each. */
    Duration LEASE_LIFETIME = Duration.ofMinutes(15);

    /** A lease when fewer than {@code max} are held under {@code key}, else empty. */
    Optional<Lease> tryAcquire(String key, int max);
}
