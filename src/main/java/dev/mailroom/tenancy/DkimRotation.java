package dev.mailroom.tenancy;

import dev.mailroom.dkim.DkimKeyRecord;
import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries key rotations forward: a new key signs only once resolvers see it at its selector
 * (asked afresh, through the client's CNAME where there is one), and the key it replaces stays
 * published for {@code overlap}, so that mail signed with it still verifies, before it is
 * deleted. Each algorithm moves on its own: an optional Ed25519 selector the client has not
 * published does not hold up RSA.
 */
public final class DkimRotation {
    private static final Logger LOG = LoggerFactory.getLogger(DkimRotation.class);
    private final DomainService domains;
    private final DomainRepository repository;
    private final DnsLookup dns;
    private final Duration overlap;
    private final Clock clock;

    public DkimRotation(DomainService domains, DomainRepository repository, DnsLookup freshDns, Duration overlap, Clock clock) {
        this.domains = domains;
        this.repository = repository;
        this.dns = freshDns;
        this.overlap = overlap;
        this.clock = clock;
    }

    /** Advances every rotation under way. */
    public void advanceAll() {
        for (var domain : repository.inRotation()) {
            try {
                advance(domain);
            } catch (RuntimeException e) {
                LOG.warn("advancing the key rotation of {} failed", domain.name(), e);
            }
        }
    }

    public void advance(Domain domain) {
        var keys = repository.keysOf(domain.id());
        var now = clock.instant();
        boolean changed = false;
        for (var next : keys.stream().filter(key -> key.state() == KeyState.PUBLISHING).toList()) {
            if (visible(domain, next)) {
                var replaced = keys.stream().filter(key -> key.state() == KeyState.ACTIVE && key.algorithm() == next.algorithm()).toList();
                repository.switchKeys(List.of(next), replaced, now.plus(overlap));
                LOG.info("{}: {} now signs; {} retires at {}", domain.name(), next.selector(),
                        replaced.stream().map(DomainKey::selector).toList(), now.plus(overlap));
                changed = true;
            }
        }
        var retired = keys.stream().filter(key -> key.state() == KeyState.RETIRING && !now.isBefore(key.retireAt())).toList();
        if (!retired.isEmpty()) {
            repository.deleteKeys(retired);
            changed = true;
        }
        if (changed) {
            domains.keysChanged();
        }
    }

    /** Resolvers answer the key's own public key at its selector. */
    private boolean visible(Domain domain, DomainKey key) {
        var answer = dns.txt(key.selector() + "._domainkey." + domain.name());
        if (!(answer instanceof Answer.Records<String> records)) {
            return false;
        }
        var wanted = Base64.getDecoder().decode(key.publicKey());
        return records.values().stream().anyMatch(text -> {
            try {
                return java.util.Arrays.equals(DkimKeyRecord.parse(text).publicKey(), wanted);
            } catch (IllegalArgumentException e) {
                return false;
            }
        });
    }
}
