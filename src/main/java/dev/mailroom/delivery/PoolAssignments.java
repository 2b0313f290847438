package dev.mailroom.delivery;

import dev.mailroom.store.Memo;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantService;
import java.time.Clock;
import java.time.Duration;

/**
 * Which pool a tenant's mail leaves from: its sending domain's own pool when it has one, else the
 * tenant's. Delivery asks for every message, so answers are held for a few seconds; any change to
 * a pool, a tenant or a domain through this node drops them at once, and the lifetime bounds how
 * long a change made on another node takes to count here.
 */
public final class PoolAssignments {
    static final Duration LIFETIME = Duration.ofSeconds(10);
    /** Senders (tenant and domain) held at most. */
    static final int MAX_ENTRIES = 100_000;
    private final PoolService pools;
    private final TenantService tenants;
    private final DomainService domains;
    private final DomainRepository domainRepository;
    private final Memo<Sender, Pool> effective;

    private record Sender(String tenantId, String domainId) {}

    public PoolAssignments(PoolService pools, TenantService tenants, DomainService domains, DomainRepository domainRepository, Clock clock) {
        this.pools = pools;
        this.tenants = tenants;
        this.domains = domains;
        this.domainRepository = domainRepository;
        this.effective = new Memo<>(clock, LIFETIME, MAX_ENTRIES);
        pools.onChange(effective::forget);
        tenants.onChange(effective::forget);
        domains.onChange(effective::forget);
    }

    /**
     * The pool for mail of this tenant from this sending domain, with its addresses and its
     * smarthost (password in clear). Throws {@link NotFoundException} when the tenant does not
     * exist, the domain is not the tenant's, or the tenant has left its pool (offboarded).
     */
    public Pool poolFor(String tenantId, String domainId) {
        return effective.get(new Sender(tenantId, domainId), sender -> {
            var tenant = tenants.get(Scope.AGENCY, sender.tenantId());
            var domain = domainRepository.find(Scope.tenant(sender.tenantId()), sender.domainId())
                    .orElseThrow(() -> new NotFoundException("domain", sender.domainId()));
            var pool = domain.pool() != null ? domain.pool() : tenant.pool();
            if (pool == null) {
                // an offboarded tenant leaves its pool only once nothing of it is queued
                throw new NotFoundException("pool", "of offboarded tenant " + sender.tenantId());
            }
            return pools.get(pool);
        });
    }

    /** Moves a tenant to a pool (recording {@code tenant.pool_changed}); an unknown pool is not found. */
    public Tenant assignTenant(Scope scope, String tenantId, String poolId) {
        pools.get(poolId);
        return tenants.changePool(scope, tenantId, poolId);
    }

    /** Gives a domain a pool of its own, or with null lets it follow its tenant's again. */
    public DomainDetails assignDomain(Scope scope, String domainId, String poolId) {
        if (poolId != null) {
            pools.get(poolId);
        }
        return domains.changePool(scope, domainId, poolId);
    }
}
