package dev.mailroom.submission;

import dev.mailroom.dkim.SigningKey;
import dev.mailroom.store.Memo;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Each domain's unsealed signing keys, kept for a minute: unsealing and parsing a key per
 * message would cost more than signing with it. Key changes on this node empty the cache at
 * once; the minute bounds how long another node's rotation takes to be seen here.
 */
final class SigningKeys {
    static final Duration LIFETIME = Duration.ofMinutes(1);
    static final int MAX_DOMAINS = 100_000;
    private final DomainService domains;
    private final Memo<String, List<SigningKey>> keys;

    SigningKeys(DomainService domains, Clock clock) {
        this.domains = domains;
        this.keys = new Memo<>(clock, LIFETIME, MAX_DOMAINS);
        domains.onChange(keys::forget);
    }

    List<SigningKey> of(Domain domain) {
        return keys.get(domain.id(), id -> domains.signingKeys(domain));
    }
}
