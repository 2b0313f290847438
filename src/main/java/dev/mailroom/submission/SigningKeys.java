package dev.mailroom.submission;

import dev.mailroom.dkim.SigningKey;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each domain's unsealed signing keys, kept for a minute: unsealing and parsing a key per
 * message would cost more than signing with it. Key changes on this node empty the cache at
 * once; the minute bounds how long another node's rotation takes to be seen here.
 */
final class SigningKeys {
    static final Duration LIFETIME = Duration.ofMinutes(1);
    private final DomainService domains;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private record Entry(List<SigningKey> keys, Instant expires) {}

    SigningKeys(DomainService domains, Clock clock) {
        this.domains = domains;
        this.clock = clock;
        domains.onChange(() -> {
            generation.incrementAndGet();
            cache.clear();
        });
    }

    List<SigningKey> of(Domain domain) {
        var now = clock.instant();
        var entry = cache.get(domain.id());
        if (entry == null || !now.isBefore(entry.expires())) {
            long before = generation.get();
            entry = new Entry(domains.signingKeys(domain), now.plus(LIFETIME));
            cache.put(domain.id(), entry);
            if (generation.get() != before) {
                cache.remove(domain.id(), entry); // keys changed while these were read: do not keep them
            }
        }
        return entry.keys();
    }
}
