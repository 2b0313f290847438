package dev.mailroom.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An IP pool: the source addresses a tenant's mail leaves from, or the smarthost it is relayed
 * through, never both. A pool with neither sends from the machine's default address with the
 * configured {@code hostname} as EHLO name, which is how a fresh installation sends.
 */
public record Pool(String id, String name, PoolTier tier, List<PoolAddress> addresses, Smarthost smarthost, Instant createdAt) {
    /** The pool new tenants join. */
    public static final String DEFAULT_ID = PoolTier.STARTER.seededPoolId();

    public Pool {
        addresses = List.copyOf(addresses);
    }

    Pool withAddresses(List<PoolAddress> newAddresses) {
        return new Pool(id, name, tier, newAddresses, smarthost, createdAt);
    }

    /**
     * A source address for a new recipient, each address not in {@code skipped} chosen with a
     * chance proportional to its weight; empty when there is none to choose (the pool has no
     * addresses, as when it relays or uses the default address, or every one is skipped).
     */
    public Optional<PoolAddress> pick(RandomGenerator random, Set<PoolAddress> skipped) {
        int total = 0;
        for (var address : addresses) {
            if (!skipped.contains(address)) {
                total += address.weight();
            }
        }
        if (total == 0) {
            return Optional.empty(); // weights are at least 1: nothing is left
        }
        int ticket = random.nextInt(total);
        for (var address : addresses) {
            if (skipped.contains(address)) {
                continue;
            }
            ticket -= address.weight();
            if (ticket < 0) {
                return Optional.of(address);
            }
        }
        throw new IllegalStateException("nextInt(" + total + ") answered outside its bound");
    }
}
