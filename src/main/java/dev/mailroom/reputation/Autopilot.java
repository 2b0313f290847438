package dev.mailroom.reputation;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.delivery.PoolTier;
import dev.mailroom.delivery.Rate;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

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
    /** A throttled tenant may still send this much: halving a trickle would stop it. */
    static final int MIN_THROTTLED_PER_HOUR = 100;
    private final Stats stats;
    private final Alerts alerts;
    private final TenantService tenants;
    private final ReputationSettings settings;
    private final ReputationActions actions;
    private final PoolService pools;
    private final PoolAssignments assignments;
    private final Settings config;
    private final Clock clock;

    /**
     * @param thresholds the defaults, which tenants' overrides are put over
     * @param window how far back rates look (a day)
     * @param tenantRate delivery.tenant_rate (null: none), halved by a throttle
     */
    public record Settings(Thresholds thresholds, Duration window, Rate tenantRate) {}

    public Autopilot(Stats stats, Alerts alerts, TenantService tenants, ReputationSettings settings, ReputationActions actions,
            PoolService pools, PoolAssignments assignments, Settings config, Clock clock) {
        this.stats = stats;
        this.alerts = alerts;
        this.tenants = tenants;
        this.settings = settings;
        this.actions = actions;
        this.pools = pools;
        this.assignments = assignments;
        this.config = config;
        this.clock = clock;
    }

    /** The configured thresholds, before any tenant's overrides. */
    public Thresholds defaults() {
        return config.thresholds();
    }

    /** The thresholds that hold for a tenant: the defaults with its own overrides. */
    public Thresholds thresholdsFor(String tenantId) {
        return config.thresholds().with(settings.of(tenantId).overrides());
    }

    /** Where a tenant's rates are measured from now: a day back, or the last time an operator undid an action. */
    public Instant windowStart(String tenantId) {
        var from = clock.instant().minus(config.window());
        var countsFrom = settings.of(tenantId).countsFrom();
        return countsFrom != null && countsFrom.isAfter(from) ? countsFrom : from;
    }

    /** One look at a tenant: alerts raised or resolved, actions taken. */
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
        sayAlerts(subject, verdict, rates, thresholds, figures, "");
        if (verdict.anyCritical() && tenant.status() == TenantStatus.ACTIVE) {
            throttle(tenant, verdict, rates, thresholds, figures);
        }
        if (verdict.level(Verdict.COMPLAINT) == Verdict.Level.CRITICAL) {
            isolate(tenants.get(Scope.AGENCY, tenant.id()), rates, thresholds, figures);
        }
        if (verdict.pause()) {
            var current = tenants.get(Scope.AGENCY, tenant.id());
            if (current.status() == TenantStatus.ACTIVE || current.status() == TenantStatus.THROTTLED) {
                var reason = verdict.pauseReason() + " over the last day: new mail is refused and queued mail held until resumed";
                tenants.changeAutomatically(tenant.id(), current.status(), TenantStatus.PAUSED, reason, figures)
                        .ifPresent(paused -> actions.record(tenant.id(), ReputationActions.Kind.PAUSE, reason, figures, null));
            }
        }
    }

    /** One look at a pool: its rates across tenants, and the tenant that drags it down named. */
    public void evaluate(Pool pool) {
        var now = clock.instant();
        var from = now.minus(config.window());
        var counts = stats.totals(StatsFilter.pool(pool.id()), from, now);
        var rates = counts.rates(stats.minVolume());
        var verdict = Verdict.of(rates, config.thresholds());
        if (verdict.levels().values().stream().noneMatch(level -> level == Verdict.Level.WARNING || level == Verdict.Level.CRITICAL)) {
            sayAlerts(new Alert.Subject(null, "pool", pool.id()), verdict, rates, config.thresholds(), figures(counts, rates), "");
            return;
        }
        var byTenant = stats.byTenant(StatsFilter.pool(pool.id()), from, now);
        var worst = worst(byTenant, verdict);
        var figures = figures(counts, rates);
        figures.put("pool_id", pool.id());
        figures.put("worst_tenant_id", worst);
        sayAlerts(new Alert.Subject(null, "pool", pool.id()), verdict, rates, config.thresholds(), figures,
                worst == null ? "" : "; most of it from tenant " + worst);
    }

    /** The tenant with most of the trouble behind the pool's worst rate. */
    private static String worst(Map<String, Counts> byTenant, Verdict verdict) {
        ToLongFunction<Counts> trouble = verdict.level(Verdict.COMPLAINT).compareTo(Verdict.Level.WARNING) >= 0 ? Counts::complained
                : verdict.level(Verdict.BOUNCE).compareTo(Verdict.Level.WARNING) >= 0 ? c -> c.hardBounced() + c.softBounced()
                : c -> c.hardBounced() + c.failed();
        return byTenant.entrySet().stream().filter(entry -> trouble.applyAsLong(entry.getValue()) > 0)
                .max(Comparator.comparingLong(entry -> trouble.applyAsLong(entry.getValue()))).map(Map.Entry::getKey).orElse(null);
    }

    /** Raises, worsens or resolves the alert of each rate as its level says; an unknown level leaves it. */
    private void sayAlerts(Alert.Subject subject, Verdict verdict, Rates rates, Thresholds thresholds, Map<String, Object> figures, String suffix) {
        for (var metric : new String[] {Verdict.BOUNCE, Verdict.COMPLAINT, Verdict.DELIVERY, Verdict.HARD_BOUNCE}) {
            var level = verdict.level(metric);
            var rate = rate(rates, metric);
            switch (level) {
                case UNKNOWN -> { }
                case OK -> alerts.resolve(subject, metric, words(metric) + " " + Percent.of(rate) + " is back within its threshold");
                case WARNING, CRITICAL -> alerts.raise(subject, metric, level == Verdict.Level.CRITICAL ? Alert.Severity.CRITICAL : Alert.Severity.WARNING,
                        words(metric) + " " + Percent.of(rate) + " over the last day is " + (metric.equals(Verdict.DELIVERY) ? "below" : "above")
                                + " the " + (level == Verdict.Level.CRITICAL ? "critical" : "warning") + " threshold "
                                + Percent.of(threshold(thresholds, metric, level)) + suffix, figures);
            }
        }
    }

    private void throttle(Tenant tenant, Verdict verdict, Rates rates, Thresholds thresholds, Map<String, Object> figures) {
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
        tenants.changeAutomatically(tenant.id(), TenantStatus.ACTIVE, TenantStatus.THROTTLED, reason, data)
                .ifPresent(throttled -> actions.record(tenant.id(), ReputationActions.Kind.THROTTLE, reason, data, null));
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

    private void isolate(Tenant tenant, Rates rates, Thresholds thresholds, Map<String, Object> figures) {
        var isolation = PoolTier.ISOLATION.seededPoolId();
        if (tenant.pool() == null || tenant.pool().equals(isolation)) {
            return;
        }
        var reason = "complaint rate " + Percent.of(rates.complaintRate()) + " is past " + Percent.of(thresholds.complaintRate().critical())
                + ": the tenant's mail leaves from the isolation pool, away from other tenants' reputation";
        var why = new LinkedHashMap<String, Object>(figures);
        why.put("reason", reason);
        why.put("automatic", true);
        assignments.assignTenant(Scope.AGENCY, tenant.id(), isolation, why);
        actions.record(tenant.id(), ReputationActions.Kind.ISOLATE, reason, figures, tenant.pool());
    }

    /**
     * An action no longer in force was undone by a person (a resume, a pool move): it is marked
     * so, and the tenant's rates start afresh from now.
     */
    private void noticeUndone(Tenant tenant) {
        boolean undone = false;
        for (var action : actions.standing(tenant.id())) {
            boolean inForce = switch (action.action()) {
                case THROTTLE -> tenant.status() == TenantStatus.THROTTLED || tenant.status() == TenantStatus.PAUSED;
                case PAUSE -> tenant.status() == TenantStatus.PAUSED;
                case ISOLATE -> PoolTier.ISOLATION.seededPoolId().equals(tenant.pool());
            };
            if (!inForce) {
                actions.markUndone(action.id());
                undone = true;
            }
        }
        if (undone) {
            settings.setCountsFrom(tenant.id(), clock.instant());
        }
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
