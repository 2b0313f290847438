package dev.mailroom.web;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Tenant;
import java.util.Locale;
import java.util.Map;

/** A tenant as the dashboard's lists and headers show it: words for its states, its pool by name. */
public record TenantSummary(String id, String name, String status, String statusReason, String lifecycle, String poolId, String poolName) {
    static TenantSummary of(Tenant tenant, String poolName) {
        return new TenantSummary(tenant.id(), tenant.name(), word(tenant.status()), tenant.statusReason(), word(tenant.lifecycle()),
                tenant.pool(), poolName);
    }

    /** The name of a pool, or its id when it is gone. */
    static String poolName(PoolService pools, String poolId) {
        try {
            return pools.get(poolId).name();
        } catch (NotFoundException gone) {
            return poolId;
        }
    }

    /** Every pool's name by id, for a list of tenants. */
    static Map<String, String> poolNames(PoolService pools) {
        var names = new java.util.HashMap<String, String>();
        dev.mailroom.store.Page.forEach(pools::list, (Pool pool) -> names.put(pool.id(), pool.name()));
        return names;
    }

    private static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
