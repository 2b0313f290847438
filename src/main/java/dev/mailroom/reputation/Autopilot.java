package dev.mailroom.reputation;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.delivery.PoolTier;
import dev.mailroom.delivery.Rate;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.TenantStatus;
import dev.mailroom.tenancy.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each tenant's rates over the last day against its thresholds and acts, in this order:
 * a warning raises an alert; a critical rate raises a critical alert and throttles the tenant to
 * half its recent pace; a critical complaint rate also moves it to the isolation pool; a hard
 * bounce or complaint rate past the pause line pauses it (queued mail is held). Every action is
 * recorded with its reason and figures, announced as an event (so the agency's and the tenant's
 * webhooks hear it), and can be undone by hand: an operator's resume or pool move is seen on the
 * next look, and the tenant's rates then count only mail sent after it, so the mail that caused
 * the action does not cause it again. Pools are watched too: a pool over a threshold raises an
 * agency alert naming the tenant that drags it down.
 */
public final class Autopilot {
    private static final Logger LOG = LoggerFactory.getLogger(Autopilot.class);
    /** A throttled tenant may still send this much: halving a trickle would stop it. */
    static final int MIN_THROTTLED_PER_HOUR = 100;
    private final Stats stats;
    private final Alerts alerts;
    private final TenantService tenants;
    private final ReputationSettings settings;
    private final ReputationActions actions;
    private final PoolService pools;
    private final Settings config;
    private final Clock clock;

    /**
     * @param thresholds the defaults, which tenants' overrides are put over
     * @param window how far back rates look (a day)
     * @param tenantRate delivery.tenant_rate (null: none), halved by a throttle
     */
    public record Settings(Thresholds thresholds, Duration window, Rate tenantRate) {}

    public Autopilot(Stats stats, Alerts alerts, TenantService tenants, ReputationSettings settings, ReputationActions actions,
            PoolService pools, Settings config, Clock clock) {
        this.stats = stats;
        this.alerts = alerts;
        this.tenants = tenants;
        this.settings = settings;
        this.actions = actions;
        this.pools = pools;
        this.config = config;
        this.clock = clock;
    }

    /** The configured thresholds, before any tenant's overrides. */
    public Thresholds defaults() {
        return config.thresholds();
    }

    /**
     * The thresholds that hold for a tenant: the defaults with its own overrides. Overrides that no
     * longer fit the defaults (the configuration changed since they were set) are ignored, and
     * logged, rather than leaving the tenant unwatched.
     */
    public Thresholds thresholdsFor(String tenantId) {
        var overrides = settings.of(tenantId).overrides();
        try {
            return config.thresholds().with(overrides);
        } catch (ValidationException e) {
            LOG.warn("tenant {}'s threshold overrides {} no longer fit the configured thresholds ({}); the defaults hold until they are set again",
                    tenantId, overrides, e.errors());
            return config.thresholds();
        }
    }

    /** Where a tenant's rates are measured from now: a day back, or the last time an operator undid an action. */
    public Instant windowStart(String tenantId) {
        var from = clock.instant().minus(config.window());
        var countsFrom = settings.of(tenantId).countsFrom();
        return countsFrom != null && countsFrom.isAfter(from) ? countsFrom : from;
    }

    /**
     * One look at a tenant: alerts raised or resolved, actions taken. Each action is taken only
     * if the tenant is still as this look read it (status, pool), so an operator's change made
     * meanwhile is never overridden; each is recorded in the transaction that takes it.
     */
    public void evaluate(Tenant tenant) {
        if (tenant.status() == TenantStatus.OFFBOARDED) {
            return;
        }
        noticeUndone(tenant);
        var now = clock.instant();
        var counts = stats.totals(StatsFilter.tenant(tenant.id()), windowStart(tenant.id()), now);
        var rates = counts.rates(stats.minVolume());
        var thresholds = thresholdsFor(tenant.id());
        var verdict = Verdict.of(rates, thresholds);
        var figures = figures(counts, rates);
        var subject = Alert.Subject.tenant(tenant.id());
        sayAlerts(subject, verdict, rates, thresholds, metric -> figures, metric -> "");
        var status = tenant.status();
        if (verdict.anyCritical() && status == TenantStatus.ACTIVE && throttle(tenant, verdict, rates, thresholds, figures)) {
            status = TenantStatus.THROTTLED;
        }
        if (verdict.level(Verdict.COMPLAINT) == Verdict.Level.CRITICAL) {
            isolate(tenant, rates, thresholds, figures);
        }
        if (verdict.pause() && (status == TenantStatus.ACTIVE || status == TenantStatus.THROTTLED)) {
            var reason = verdict.pauseReason() + " over the last day: new mail is refused and queued mail held until resumed";
            tenants.changeAutomatically(tenant.id(), status, TenantStatus.PAUSED, reason, figures,
                    h -> actions.record(h, tenant.id(), ReputationActions.Kind.PAUSE, reason, figures, null));
        }
    }

    /** One look at a pool: its rates across tenants, and in each alert the tenant with most of that trouble named. */
    public void evaluate(Pool pool) {
        var now = clock.instant();
        var from = now.minus(config.window());
        var counts = stats.totals(StatsFilter.pool(pool.id()), from, now);
        var rates = counts.rates(stats.minVolume());
        var verdict = Verdict.of(rates, config.thresholds());
        var figures = figures(counts, rates);
        figures.put("pool_id", pool.id());
        var troubled = verdict.levels().values().stream().anyMatch(level -> level == Verdict.Level.WARNING || level == Verdict.Level.CRITICAL);
        var byTenant = troubled ? stats.byTenant(StatsFilter.pool(pool.id()), from, now) : Map.<String, Counts>of();
        sayAlerts(new Alert.Subject(null, "pool", pool.id()), verdict, rates, config.thresholds(), metric -> {
            var data = new LinkedHashMap<>(figures);
            var worst = worst(byTenant, metric);
            if (worst != null) {
                data.put("worst_tenant_id", worst);
            }
            return data;
        }, metric -> {
            var worst = worst(byTenant, metric);
            return worst == null ? "" : "; most of it from tenant " + worst;
        });
    }

    /** The tenant with most of what makes {@code metric} bad. */
    private static String worst(Map<String, Counts> byTenant, String metric) {
        ToLongFunction<Counts> trouble = switch (metric) {
            case Verdict.COMPLAINT -> Counts::complained;
            case Verdict.BOUNCE -> c -> c.hardBounced() + c.softBounced();
            case Verdict.HARD_BOUNCE -> Counts::hardBounced;
            default -> c -> c.hardBounced() + c.failed();
        };
        return byTenant.entrySet().stream().filter(entry -> trouble.applyAsLong(entry.getValue()) > 0)
                .max(Comparator.comparingLong(entry -> trouble.applyAsLong(entry.getValue()))).map(Map.Entry::getKey).orElse(null);
    }

    /** Raises, worsens or resolves the alert of each rate as its level says; an unknown level leaves it. */
    private void sayAlerts(Alert.Subject subject, Verdict verdict, Rates rates, Thresholds thresholds,
            Function<String, Map<String, Object>> data, Function<String, String> suffix) {
        for (var metric : new String[] {Verdict.BOUNCE, Verdict.COMPLAINT, Verdict.DELIVERY, Verdict.HARD_BOUNCE}) {
            var level = verdict.level(metric);
            var rate = rate(rates, metric);
            switch (level) {
                case UNKNOWN -> { }
                case OK -> alerts.resolve(subject, metric, words(metric) + " " + Percent.of(rate) + " is back within its threshold");
                case WARNING, CRITICAL -> alerts.raise(subject, metric, level == Verdict.Level.CRITICAL ? Alert.Severity.CRITICAL : Alert.Severity.WARNING,
                        words(metric) + " " + Percent.of(rate) + " over the last day is " + (metric.equals(Verdict.DELIVERY) ? "below" : "above")
                                + " the " + (level == Verdict.Level.CRITICAL ? "critical" : "warning") + " threshold "
                                + Percent.of(threshold(thresholds, metric, level)) + suffix.apply(metric), data.apply(metric));
            }
        }
    }

    /** Throttles an active tenant; answers whether it did (an operator may have changed its status meanwhile). */
    private boolean throttle(Tenant tenant, Verdict verdict, Rates rates, Thresholds thresholds, Map<String, Object> figures) {
        var rate = throttledRate(tenant.id());
        var critical = verdict.levels().entrySet().stream()
                .filter(entry -> entry.getValue() == Verdict.Level.CRITICAL && !entry.getKey().equals(Verdict.HARD_BOUNCE))
                .map(entry -> words(entry.getKey()) + " " + Percent.of(rate(rates, entry.getKey())) + " is past "
                        + Percent.of(threshold(thresholds, entry.getKey(), Verdict.Level.CRITICAL)))
                .reduce((a, b) -> a + ", " + b).orElseThrow();
        var reason = critical + ": delivery slowed to " + rate;
        var data = new LinkedHashMap<>(figures);
        data.put("rate", rate.toString());
        settings.setThrottledRate(tenant.id(), rate);
        return tenants.changeAutomatically(tenant.id(), TenantStatus.ACTIVE, TenantStatus.THROTTLED, reason, data,
                h -> actions.record(h, tenant.id(), ReputationActions.Kind.THROTTLE, reason, data, null)).isPresent();
    }

    /** Half of what the tenant sent in its busiest hour of the window, or half its configured rate. */
    private Rate throttledRate(String tenantId) {
        if (config.tenantRate() != null) {
            return config.tenantRate().halved(1);
        }
        var now = clock.instant();
        long peak = stats.maxHourly(tenantId, Metric.SENT, now.minus(config.window()), now);
        return new Rate((int) Math.min(Integer.MAX_VALUE, Math.max(MIN_THROTTLED_PER_HOUR, peak / 2)), Duration.ofHours(1));
    }

    /** Moves the tenant to the isolation pool, if it is still in the pool this look read. */
    private void isolate(Tenant tenant, Rates rates, Thresholds thresholds, Map<String, Object> figures) {
        var isolation = PoolTier.ISOLATION.seededPoolId();
        if (tenant.pool() == null || tenant.pool().equals(isolation)) {
            return;
        }
        var reason = "complaint rate " + Percent.of(rates.complaintRate()) + " is past " + Percent.of(thresholds.complaintRate().critical())
                + ": the tenant's mail leaves from the isolation pool, away from other tenants' pools";
        var why = new LinkedHashMap<String, Object>(figures);
        why.put("reason", reason);
        why.put("automatic", true);
        var moved = tenants.changePoolAutomatically(tenant.id(), tenant.pool(), isolation, why,
                h -> actions.record(h, tenant.id(), ReputationActions.Kind.ISOLATE, reason, figures, tenant.pool()));
        var pool = pools.get(isolation);
        if (moved.isPresent() && pool.addresses().isEmpty() && pool.smarthost() == null) {
            // with no addresses of its own, isolated mail leaves from the default address, as other pools without addresses do
            alerts.raise(new Alert.Subject(null, "pool", isolation), "pool_without_addresses", Alert.Severity.WARNING,
                    "tenant " + tenant.id() + " was isolated, but the isolation pool has no addresses of its own: its mail leaves from the "
                            + "default address; add addresses with POST /v1/pools/" + isolation + "/ips", Map.of("tenant_id", tenant.id()));
        }
    }

    /**
     * An action no longer in force was undone by a person (a resume, a pool move): it is marked
     * so, and the tenant's rates start afresh from now.
     */
    private void noticeUndone(Tenant tenant) {
        var undone = actions.standing(tenant.id()).stream().filter(action -> !switch (action.action()) {
            case THROTTLE -> tenant.status() == TenantStatus.THROTTLED || tenant.status() == TenantStatus.PAUSED;
            case PAUSE -> tenant.status() == TenantStatus.PAUSED;
            case ISOLATE -> PoolTier.ISOLATION.seededPoolId().equals(tenant.pool());
        }).toList();
        if (undone.isEmpty()) {
            return;
        }
        // the fresh start first: should the marks be lost, the next look finds the actions and resets again
        settings.setCountsFrom(tenant.id(), clock.instant());
        undone.forEach(action -> actions.markUndone(action.id()));
    }

    private static Map<String, Object> figures(Counts counts, Rates rates) {
        var figures = new LinkedHashMap<String, Object>();
        figures.put("sent", counts.sent());
        figures.put("delivered", counts.delivered());
        figures.put("hard_bounced", counts.hardBounced());
        figures.put("soft_bounced", counts.softBounced());
        figures.put("failed", counts.failed());
        figures.put("complained", counts.complained());
        putRate(figures, Verdict.BOUNCE, rates.bounceRate());
        putRate(figures, Verdict.HARD_BOUNCE, rates.hardBounceRate());
        putRate(figures, Verdict.COMPLAINT, rates.complaintRate());
        putRate(figures, Verdict.DELIVERY, rates.deliveryRate());
        return figures;
    }

    private static void putRate(Map<String, Object> figures, String name, Double rate) {
        if (rate != null) {
            figures.put(name, rate);
        }
    }

    private static Double rate(Rates rates, String metric) {
        return switch (metric) {
            case Verdict.BOUNCE -> rates.bounceRate();
            case Verdict.COMPLAINT -> rates.complaintRate();
            case Verdict.DELIVERY -> rates.deliveryRate();
            default -> rates.hardBounceRate();
        };
    }

    private static double threshold(Thresholds thresholds, String metric, Verdict.Level level) {
        boolean critical = level == Verdict.Level.CRITICAL;
        return switch (metric) {
            case Verdict.BOUNCE -> critical ? thresholds.bounceRate().critical() : thresholds.bounceRate().warning();
            case Verdict.COMPLAINT -> critical ? thresholds.complaintRate().critical() : thresholds.complaintRate().warning();
            case Verdict.DELIVERY -> critical ? thresholds.deliveryRate().critical() : thresholds.deliveryRate().warning();
            default -> thresholds.pauseHardBounceRate();
        };
    }

    private static String words(String metric) {
        return metric.replace('_', ' ');
    }
}
