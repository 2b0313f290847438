package dev.mailroom.delivery;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@link ConnectionLimiter} in this process: a count per key. */
public final class LocalConnectionLimiter implements ConnectionLimiter {
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> tryAcquire(String key, int max) {
        var taken = new boolean[1];
        held.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            taken[0] = now < max;
            return taken[0] ? now + 1 : count;
        });
        if (!taken[0]) {
            return Optional.empty();
        }
        var open = new AtomicBoolean(true);
        return Optional.of(new Lease() {
            @Override
            public void renew() {
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    held.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
                }
            }
        });
    }

    /** Leases held under a key now (for tests and metrics). */
    public int held(String key) {
        return held.getOrDefault(key, 0);
    }
}
