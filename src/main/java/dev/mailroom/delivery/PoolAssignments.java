package dev.mailroom.delivery;

import dev.mailroom.store.Memo;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantService;
import java.util.Map;
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
     * smarthost (password in clear): the domain's own pool, else the tenant's; an isolated tenant's
     * mail all leaves from isolation. A domain that is not the tenant's (the agency's domain signing a
     * sender identity's mail, or a domain deleted since) takes the tenant's pool: the mail is the
     * tenant's and counts for its reputation. Throws {@link NotFoundException} when the tenant does
     * not exist or has left its pool (offboarded).
     */
    public Pool poolFor(String tenantId, String domainId) {
        return effective.get(new Sender(tenantId, domainId), sender -> {
            var tenant = tenants.get(Scope.AGENCY, sender.tenantId());
            var domainPool = domainRepository.find(Scope.tenant(sender.tenantId()), sender.domainId()).map(Domain::pool).orElse(null);
            if (tenant.pool() == null) {
                // an offboarded tenant leaves its pool only once nothing of it is queued
                throw new NotFoundException("pool", "of offboarded tenant " + sender.tenantId());
            }
            var tenantPool = pools.get(tenant.pool());
            if (domainPool == null || tenantPool.tier() == PoolTier.ISOLATION) {
                return tenantPool;
            }
            return pools.get(domainPool);
        });
    }

    /** Moves a tenant to a pool (recording {@code tenant.pool_changed}); an unknown pool is not found. */
    public Tenant assignTenant(Scope scope, String tenantId, String poolId) {
        return assignTenant(scope, tenantId, poolId, Map.of());
    }

    /** As {@link #assignTenant(Scope, String, String)}, saying why in the event ({@code reason}, {@code automatic}). */
    public Tenant assignTenant(Scope scope, String tenantId, String poolId, Map<String, Object> why) {
        pools.get(poolId);
        return tenants.changePool(scope, tenantId, poolId, why);
    }

    /** Gives a domain a pool of its own, or with null lets it follow its tenant's again. */
    public DomainDetails assignDomain(Scope scope, String domainId, String poolId) {
        if (poolId != null) {
            pools.get(poolId);
        }
        return domains.changePool(scope, domainId, poolId);
    }
}
