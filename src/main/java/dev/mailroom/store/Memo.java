package dev.mailroom.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Database reads held in memory for a short {@code lifetime}, for hot paths that would otherwise
 * ask the same question on every message. {@link #forget} after a change drops what is held at
 * once, and a read that was under way when a change came is not kept (a change counter is
 * checked after the value is stored), so a stale value never outlives a change on this node.
 * The lifetime bounds how long a change made elsewhere (another node) takes to be seen. Past
 * {@code maxEntries} the memo starts again, so keys asked about once cannot pile up. A load
 * that returns null is not held.
 */
public final class Memo<K, V> {
    private final Clock clock;
    private final Duration lifetime;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    private record Entry<V>(V value, Instant expires) {}

    public Memo(Clock clock, Duration lifetime, int maxEntries) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.maxEntries = maxEntries;
    }

    public V get(K key, Function<K, V> load) {
        var now = clock.instant();
        var entry = entries.get(key);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.value();
        }
        long before = changes.get();
        var value = load.apply(key);
        if (value == null) {
            return null;
        }
        var fresh = new Entry<>(value, now.plus(lifetime));
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, fresh);
        if (changes.get() != before) {
            entries.remove(key, fresh); // a change came while this was read: do not keep it
        }
        return value;
    }

    /** Drops everything held, after a change. */
    public void forget() {
        changes.incrementAndGet();
        entries.clear();
    }

    /** Drops what is held for one key, after a change to it. */
    public void forget(K key) {
        changes.incrementAndGet();
        entries.remove(key);
    }
}
