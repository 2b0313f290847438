package dev.mailroom.reputation;

import dev.mailroom.delivery.PoolTier;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Which pool tier a tenant's record earns. Premium: a low complaint rate, a large monthly volume
 * and a clean history (no automatic action for a while); standard: a low complaint rate and a
 * middling volume; starter: new or small; isolation: known problems (paused, or isolated by the
 * autopilot). The figures are configurable (reputation.tiers.*).
 */
public final class Tiers {
    private final Stats stats;
    private final ReputationActions actions;
    private final Criteria criteria;
    private final Clock clock;

    /** What premium and standard ask for; the volumes are messages sent in the last 30 days. */
    public record Criteria(double premiumMaxComplaintRate, long premiumMinMonthlyVolume, Duration premiumCleanFor, double standardMaxComplaintRate,
            long standardMinMonthlyVolume) {
        public static final Criteria DEFAULTS = new Criteria(0.0005, 100_000, Duration.ofDays(30), 0.001, 10_000);
    }

    /** A tier and why, in words. */
    public record Recommendation(PoolTier tier, String reason) {}

    public Tiers(Stats stats, ReputationActions actions, Criteria criteria, Clock clock) {
        this.stats = stats;
        this.actions = actions;
        this.criteria = criteria;
        this.clock = clock;
    }

    public Recommendation recommend(Tenant tenant) {
        var now = clock.instant();
        boolean isolated = actions.standing(tenant.id()).stream().anyMatch(action -> action.action() == ReputationActions.Kind.ISOLATE);
        if (tenant.status() == TenantStatus.PAUSED || isolated) {
            return new Recommendation(PoolTier.ISOLATION, isolated ? "isolated by the autopilot and not moved back" : "paused");
        }
        var counts = stats.totals(StatsFilter.tenant(tenant.id()), now.minus(Duration.ofDays(30)), now);
        var complaints = counts.rates(stats.minVolume()).complaintRate();
        long monthly = counts.sent();
        var lastAction = actions.lastTaken(tenant.id());
        var cleanSince = lastAction == null ? tenant.createdAt() : lastAction;
        var volume = String.format(java.util.Locale.ROOT, "%,d sent in 30 days", monthly);
        if (complaints == null) {
            return new Recommendation(PoolTier.STARTER, volume + ": too few deliveries to judge complaints");
        }
        var complaintWords = "complaint rate " + Percent.of(complaints);
        if (monthly >= criteria.premiumMinMonthlyVolume() && complaints < criteria.premiumMaxComplaintRate()
                && !cleanSince.isAfter(now.minus(criteria.premiumCleanFor()))) {
            return new Recommendation(PoolTier.PREMIUM, volume + ", " + complaintWords + ", clean since " + cleanSince);
        }
        if (monthly >= criteria.standardMinMonthlyVolume() && complaints < criteria.standardMaxComplaintRate()) {
            return new Recommendation(PoolTier.STANDARD, volume + ", " + complaintWords + premiumMissing(monthly, complaints, cleanSince, now));
        }
        return new Recommendation(PoolTier.STARTER, volume + ", " + complaintWords);
    }

    private String premiumMissing(long monthly, double complaints, Instant cleanSince, Instant now) {
        if (monthly < criteria.premiumMinMonthlyVolume()) {
            return "; premium asks for " + String.format(java.util.Locale.ROOT, "%,d", criteria.premiumMinMonthlyVolume()) + " a month";
        }
        if (complaints >= criteria.premiumMaxComplaintRate()) {
            return "; premium asks for a complaint rate under " + Percent.of(criteria.premiumMaxComplaintRate());
        }
        return "; premium asks for " + criteria.premiumCleanFor().toDays() + " days without automatic actions (last " + cleanSince + ")";
    }
}
