package dev.mailroom.reputation;

import dev.mailroom.delivery.PoolService;
import dev.mailroom.tenancy.LifecycleStep;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about a tenant's standing on one page: {@code GET /v1/tenants/{id}/health}. The
 * compliance part looks up each domain's DNS now (uncached), so the page costs a few lookups.
 */
public final class TenantHealth {
    private static final Map<String, Duration> WINDOWS = windows();
    private final TenantService tenants;
    private final PoolService pools;
    private final Stats stats;
    private final Alerts alerts;
    private final ReputationActions actions;
    private final Autopilot autopilot;
    private final Warmup warmup;
    private final Tiers tiers;
    private final Blocklists blocklists;
    private final Compliance compliance;
    private final Clock clock;

    /** Counts and rates over one window; {@code from} is later than a full window when an operator reset the rates. */
    public record Window(Instant from, Instant to, Counts counts, Rates rates) {}

    public record PoolView(String id, String name, String tier) {}

    public record Report(String tenantId, String status, String statusReason, PoolView pool, String lifecycle, List<LifecycleStep> lifecycleHistory,
            Map<String, Window> rates, int minVolume, Map<String, Double> thresholds, List<Alert> alerts,
            List<ReputationActions.Action> actions, List<Warmup.Progress> warmup, Tiers.Recommendation tier, List<Listing> blocklists,
            List<ComplianceReport> compliance) {}

    public TenantHealth(TenantService tenants, PoolService pools, Stats stats, Alerts alerts, ReputationActions actions, Autopilot autopilot,
            Warmup warmup, Tiers tiers, Blocklists blocklists, Compliance compliance, Clock clock) {
        this.tenants = tenants;
        this.pools = pools;
        this.stats = stats;
        this.alerts = alerts;
        this.actions = actions;
        this.autopilot = autopilot;
        this.warmup = warmup;
        this.tiers = tiers;
        this.blocklists = blocklists;
        this.compliance = compliance;
        this.clock = clock;
    }

    public Report of(Scope scope, String tenantId) {
        var tenant = tenants.get(scope, tenantId);
        var now = clock.instant();
        var rates = new LinkedHashMap<String, Window>();
        var resetAt = autopilot.windowStart(tenantId);
        WINDOWS.forEach((name, length) -> {
            var from = now.minus(length);
            // the day the autopilot judges starts where an operator's undo reset it; longer windows are history
            if (name.equals("24h") && resetAt.isAfter(from)) {
                from = resetAt;
            }
            var counts = stats.totals(StatsFilter.tenant(tenantId), from, now);
            rates.put(name, new Window(from, now, counts, counts.rates(stats.minVolume())));
        });
        PoolView pool = null;
        if (tenant.pool() != null) {
            var p = pools.get(tenant.pool());
            pool = new PoolView(p.id(), p.name(), p.tier().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new Report(tenant.id(), tenant.status().name().toLowerCase(java.util.Locale.ROOT), tenant.statusReason(), pool,
                tenant.lifecycle().name().toLowerCase(java.util.Locale.ROOT), tenants.lifecycle(scope, tenantId), rates, stats.minVolume(),
                autopilot.thresholdsFor(tenantId).asMap(), alerts.open(tenantId), actions.recent(tenantId, 20), warmup.progress(tenantId),
                tiers.recommend(tenant), blocklists.listingsForTenant(tenantId), compliance.forTenant(tenantId));
    }

    private static Map<String, Duration> windows() {
        var windows = new LinkedHashMap<String, Duration>();
        windows.put("24h", Duration.ofHours(24));
        windows.put("7d", Duration.ofDays(7));
        windows.put("30d", Duration.ofDays(30));
        return windows;
    }
}
