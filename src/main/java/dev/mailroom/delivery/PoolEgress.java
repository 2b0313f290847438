package dev.mailroom.delivery;

import dev.mailroom.smtp.ClientSettings;
import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.tenancy.NotFoundException;
import java.util.HashSet;
import java.util.random.RandomGenerator;

/**
 * Where mail leaves when there is no smarthost for everything: the sending domain's (or tenant's)
 * pool. Its smarthost; else one of its addresses by weight, skipping those at their daily cap
 * (warm-up), so that the others share the recipient by their weights; else, for a pool without
 * addresses, the machine's own address greeting as {@code hostname}. When every address of the
 * pool is at its cap, the recipient waits for the earliest to have room again.
 */
public final class PoolEgress implements EgressPolicy {
    private final PoolAssignments pools;
    private final AddressCaps caps;
    private final String hostname;
    private final Send direct;
    private final RandomGenerator random;

    public PoolEgress(PoolAssignments pools, AddressCaps caps, String hostname, RandomGenerator random) {
        this.pools = pools;
        this.caps = caps;
        this.hostname = hostname;
        this.direct = new Send(new Egress.Direct(null, hostname));
        this.random = random;
    }

    @Override
    public Choice egressFor(QueuedRecipient recipient, long nowMillis) {
        Pool pool;
        try {
            pool = pools.poolFor(recipient.tenantId(), recipient.domainId());
        } catch (NotFoundException gone) {
            return direct; // the domain was deleted after its mail was accepted: that mail still goes
        }
        if (pool.smarthost() != null) {
            return new Send(relay(pool.smarthost()));
        }
        if (pool.addresses().isEmpty()) {
            return direct;
        }
        // only the address chosen is asked (and counted), so a full one costs the others nothing
        var full = new HashSet<PoolAddress>();
        long until = Long.MAX_VALUE;
        for (var address = pool.pick(random, full); address.isPresent(); address = pool.pick(random, full)) {
            var wait = caps.admit(recipient, address.get(), nowMillis);
            if (wait.isEmpty()) {
                return new Send(new Egress.Direct(address.get().inetAddress(), address.get().hostname()));
            }
            full.add(address.get());
            until = Math.min(until, wait.getAsLong());
        }
        return new Wait(until);
    }

    private Egress.Relay relay(Smarthost host) {
        var tls = switch (host.tls()) {
            case STARTTLS -> ClientSettings.TlsPolicy.REQUIRED;
            case TLS -> ClientSettings.TlsPolicy.IMPLICIT;
            case NONE -> ClientSettings.TlsPolicy.NONE;
        };
        return new Egress.Relay(host.host(), host.port(), tls, host.username(), host.password(), hostname);
    }
}
