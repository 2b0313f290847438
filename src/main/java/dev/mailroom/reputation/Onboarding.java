package dev.mailroom.reputation;

import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolTier;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainStatus;
import dev.mailroom.tenancy.Lifecycle;
import dev.mailroom.tenancy.LifecycleStep;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The onboarding life cycle: {@code setup} (no verified domain yet) → {@code warmup} (a domain
 * verified; warm-up caps) → {@code observation} (warm-up done; its record is
 * watched) → {@code established} (after the observation period; a tier is recommended, or
 * applied when configured). Established tenants keep getting a recommendation; with tiers applied,
 * they move when it changes (a problem demotes), except out of isolation, which is a person's call.
 */
public final class Onboarding {
    private final TenantService tenants;
    private final DomainRepository domains;
    private final Warmup warmup;
    private final Tiers tiers;
    private final PoolAssignments assignments;
    private final Settings settings;
    private final Clock clock;

    /** reputation.observation_period and reputation.tiers.apply. */
    public record Settings(Duration observationPeriod, boolean applyTiers) {}

    public Onboarding(TenantService tenants, DomainRepository domains, Warmup warmup, Tiers tiers, PoolAssignments assignments, Settings settings,
            Clock clock) {
        this.tenants = tenants;
        this.domains = domains;
        this.warmup = warmup;
        this.tiers = tiers;
        this.assignments = assignments;
        this.settings = settings;
        this.clock = clock;
    }

    /** Moves the tenant on as far as it has come. */
    public void advance(Tenant tenant) {
        var current = tenant;
        if (current.lifecycle() == Lifecycle.SETUP) {
            var verified = domains.list(Scope.tenant(current.id()), null, 500).data().stream()
                    .filter(domain -> domain.status() == DomainStatus.VERIFIED).findFirst();
            if (verified.isEmpty()) {
                return;
            }
            current = tenants.advanceLifecycle(current.id(), Lifecycle.SETUP, Lifecycle.WARMUP,
                    verified.get().name() + " verified: sending under warm-up caps").orElse(null);
        }
        if (current != null && current.lifecycle() == Lifecycle.WARMUP && !warmup.inWarmup(current.id())) {
            current = tenants.advanceLifecycle(current.id(), Lifecycle.WARMUP, Lifecycle.OBSERVATION,
                    "warm-up finished: watched for " + settings.observationPeriod().toDays() + " days").orElse(null);
        }
        if (current != null && current.lifecycle() == Lifecycle.OBSERVATION && observedLongEnough(current)) {
            var recommendation = tiers.recommend(current);
            current = tenants.advanceLifecycle(current.id(), Lifecycle.OBSERVATION, Lifecycle.ESTABLISHED,
                    "tier " + tierName(recommendation.tier()) + (settings.applyTiers() ? " assigned: " : " recommended: ") + recommendation.reason())
                    .orElse(null);
        }
        if (current != null && current.lifecycle() == Lifecycle.ESTABLISHED && settings.applyTiers()) {
            apply(current, tiers.recommend(current));
        }
    }

    private boolean observedLongEnough(Tenant tenant) {
        var entered = tenants.lifecycle(Scope.AGENCY, tenant.id()).stream().filter(step -> step.state() == Lifecycle.OBSERVATION)
                .map(LifecycleStep::enteredAt).reduce((first, second) -> second);
        return entered.isPresent() && !entered.get().plus(settings.observationPeriod()).isAfter(clock.instant());
    }

    private void apply(Tenant tenant, Tiers.Recommendation recommendation) {
        var target = recommendation.tier().seededPoolId();
        var isolation = PoolTier.ISOLATION.seededPoolId();
        if (tenant.pool() == null || tenant.pool().equals(target) || tenant.pool().equals(isolation) || recommendation.tier() == PoolTier.ISOLATION) {
            return; // into and out of isolation is the autopilot's and people's
        }
        assignments.assignTenant(Scope.AGENCY, tenant.id(), target,
                Map.of("reason", "tier " + tierName(recommendation.tier()) + ": " + recommendation.reason(), "automatic", true));
    }

    private static String tierName(PoolTier tier) {
        return tier.name().toLowerCase(java.util.Locale.ROOT);
    }
}
