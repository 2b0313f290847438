package dev.mailroom.reputation;

import dev.mailroom.delivery.AddressCaps;
import dev.mailroom.delivery.DailyCaps;
import dev.mailroom.delivery.PoolAddress;
import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.store.Memo;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Warm-up of new sending domains and new source addresses. From the UTC day a domain first
 * verified (day 1), it may send at most its schedule's cap of recipients a day; the rest wait in
 * the queue for the next day, never dropped. Marketing and notifications domains follow
 * {@code warmup.marketing}, transactional ones {@code warmup.transactional}, unless the domain has
 * settings of its own. A source address follows {@code warmup.ip} from the UTC day it joined its
 * pool (day 1); delivery skips an address at its cap for the pool's others. Caps count recipients
 * at their first attempt; retries are not counted again.
 */
public final class Warmup implements DailyCaps, AddressCaps {
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    /** Units a node reserves from the ledger at once: few database writes, little left unused at a day's end. */
    static final long BLOCK = 50;
    /** How long a domain's settings are reused before they are read again (changes through this node count at once). */
    private static final Duration LIFETIME = Duration.ofSeconds(10);
    private final WarmupRepository repository;
    private final WarmupLedger ledger;
    private final Settings settings;
    private final Clock clock;
    private final Memo<Sender, Optional<Plan>> plans;
    /** By source address; empty: not in a pool (any more). */
    private final Memo<String, Optional<Plan>> addressPlans;
    private final ConcurrentHashMap<String, Allowance> allowances = new ConcurrentHashMap<>();

    /**
     * The default schedules and target ({@code warmup.*} keys).
     *
     * @param marketing for marketing and notifications domains
     * @param ip for every source address of a pool (a share of the target in it is of {@code targetDailyVolume})
     */
    public record Settings(WarmupSchedule marketing, WarmupSchedule transactional, WarmupSchedule ip, long targetDailyVolume) {}

    /**
     * Where a domain or a source address stands today. {@code day} 0: a domain not verified yet, not
     * started. {@code capToday} and {@code remaining} null: no cap today (finished, or disabled).
     * {@code usedToday} counts what the nodes reserved, in blocks of up to {@value #BLOCK}, so it may
     * run ahead of what went out.
     *
     * @param kind {@code domain} or {@code ip}
     * @param id the domain's id, or the address
     * @param name the domain's name, or the address's EHLO host name
     * @param scheduleName {@code marketing}, {@code transactional} or {@code custom}; {@code ip} for addresses
     */
    public record Progress(String kind, String id, String name, String scheduleName, String schedule, long targetDailyVolume,
            boolean enabled, LocalDate startedOn, int day, Long capToday, long usedToday, Long remaining, boolean finished) {}

    private record Sender(String tenantId, String domainId) {}

    /** A domain's schedule and target, and its day 1. */
    private record Plan(String scheduleName, WarmupSchedule schedule, long target, boolean enabled, LocalDate startedOn) {
        int day(long epochDay) {
            return startedOn == null ? 0 : (int) Math.max(1, epochDay - startedOn.toEpochDay() + 1);
        }

        OptionalLong capOn(long epochDay) {
            return !enabled || startedOn == null ? OptionalLong.empty() : schedule.capOn(day(epochDay), target);
        }
    }

    /** What this node holds of a subject's cap today: the unused rest of its last block. */
    private static final class Allowance {
        long epochDay = -1;
        long cap;
        long remaining;
        /** The ledger had nothing left today for this cap: no need to ask again until it changes. */
        boolean exhausted;
    }

    public Warmup(Jdbi jdbi, Settings settings, Clock clock) {
        this.repository = new WarmupRepository(jdbi);
        this.ledger = new WarmupLedger(jdbi);
        this.settings = settings;
        this.clock = clock;
        this.plans = new Memo<>(clock, LIFETIME, 100_000);
        this.addressPlans = new Memo<>(clock, LIFETIME, 100_000);
    }

    @Override
    public OptionalLong admit(QueuedRecipient recipient, long nowMillis) {
        if (recipient.failedAttempts() > 0) {
            return OptionalLong.empty(); // counted at its first attempt
        }
        var plan = plans.get(new Sender(recipient.tenantId(), recipient.domainId()),
                sender -> repository.find(sender.tenantId(), sender.domainId()).map(this::plan));
        return admit(subject(recipient.domainId()), recipient.tenantId(), plan, nowMillis);
    }

    @Override
    public OptionalLong admit(QueuedRecipient recipient, PoolAddress address, long nowMillis) {
        if (recipient.failedAttempts() > 0) {
            return OptionalLong.empty(); // counted at its first attempt, like a domain's cap
        }
        // an address removed since delivery read its pool has no plan: it warms nothing any more
        var plan = addressPlans.get(address.address(), a -> repository.addressAddedAt(a).map(this::addressPlan));
        return admit(ipSubject(address.address()), null, plan, nowMillis);
    }

    /** Counts one recipient against {@code subject}'s cap today; when it is reached, answers the next UTC midnight. */
    private OptionalLong admit(String subject, String tenantId, Optional<Plan> plan, long nowMillis) {
        long epochDay = Math.floorDiv(nowMillis, DAY_MILLIS);
        var cap = plan.isEmpty() ? OptionalLong.empty() : plan.get().capOn(epochDay);
        if (cap.isEmpty() || take(subject, tenantId, epochDay, cap.getAsLong())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((epochDay + 1) * DAY_MILLIS);
    }

    private boolean take(String subject, String tenantId, long epochDay, long cap) {
        var allowance = allowances.computeIfAbsent(subject, s -> new Allowance());
        synchronized (allowance) {
            if (allowance.epochDay != epochDay || allowance.cap != cap) {
                // a new day, or new settings: what was left of the old block is dropped (the cap errs low)
                allowance.epochDay = epochDay;
                allowance.cap = cap;
                allowance.remaining = 0;
                allowance.exhausted = false;
            }
            if (allowance.remaining == 0) {
                if (allowance.exhausted) {
                    return false;
                }
                allowance.remaining = ledger.reserve(subject, tenantId, epochDay, cap, BLOCK);
                if (allowance.remaining == 0) {
                    allowance.exhausted = true;
                    return false;
                }
            }
            allowance.remaining--;
            return true;
        }
    }

    /**
     * Where each of a tenant's domains stands today, then each source address of the pools its mail
     * leaves from (its own and its domains'; kind {@code ip}), for its health.
     */
    public List<Progress> progress(String tenantId) {
        var result = new ArrayList<>(domainProgress(tenantId));
        result.addAll(addressProgress(repository.addressesOfTenant(tenantId)));
        return result;
    }

    /** Where each source address of a pool stands today (none for a pool that relays or uses the default address). */
    public List<Progress> ipProgress(String poolId) {
        return addressProgress(repository.addressesOfPool(poolId));
    }

    private List<Progress> domainProgress(String tenantId) {
        long epochDay = today();
        var used = ledger.usedBy(tenantId, epochDay);
        var result = new ArrayList<Progress>();
        for (var domain : repository.ofTenant(tenantId)) {
            result.add(progress(domain, epochDay, used));
        }
        return result;
    }

    private List<Progress> addressProgress(List<WarmupRepository.AddressWarmup> addresses) {
        long epochDay = today();
        var result = new ArrayList<Progress>();
        for (var address : addresses) {
            var subject = ipSubject(address.address());
            result.add(progress("ip", address.address(), address.hostname(), addressPlan(address.addedAt()), epochDay,
                    ledger.used(subject, epochDay)));
        }
        return result;
    }

    /** Where one domain of the tenant stands today. */
    public Progress progress(String tenantId, String domainId) {
        var domain = repository.find(tenantId, domainId).orElseThrow(() -> new NotFoundException("domain", domainId));
        long epochDay = today();
        return progress(domain, epochDay, Map.of(subject(domainId), ledger.used(subject(domainId), epochDay)));
    }

    /**
     * Whether any verified domain of the tenant is still under a warm-up cap (the tenant's life cycle
     * waits for it). Addresses do not count: they are the agency's, often shared by many tenants.
     */
    public boolean inWarmup(String tenantId) {
        return domainProgress(tenantId).stream().anyMatch(progress -> progress.day() > 0 && !progress.finished());
    }

    /**
     * Gives a domain settings of its own, replacing any it had: {@code schedule} null follows its
     * stream's default, {@code targetDailyVolume} null the configured one; {@code enabled} false lifts
     * its cap. Answers with where the domain stands then.
     */
    public Progress configure(String tenantId, String domainId, String schedule, Long targetDailyVolume, boolean enabled) {
        var errors = new ArrayList<FieldError>();
        if (schedule != null) {
            try {
                WarmupSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("schedule", e.getMessage()));
            }
        }
        if (targetDailyVolume != null && targetDailyVolume < 1) {
            errors.add(new FieldError("target_daily_volume", "must be at least 1, got " + targetDailyVolume));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        repository.find(tenantId, domainId).orElseThrow(() -> new NotFoundException("domain", domainId));
        var canonical = schedule == null ? null : WarmupSchedule.parse(schedule).toString();
        repository.save(tenantId, domainId, canonical, targetDailyVolume, enabled, clock.instant());
        plans.forget(new Sender(tenantId, domainId));
        return progress(tenantId, domainId);
    }

    private Progress progress(WarmupRepository.DomainWarmup domain, long epochDay, Map<String, Long> used) {
        return progress("domain", domain.id(), domain.name(), plan(domain), epochDay, used.getOrDefault(subject(domain.id()), 0L));
    }

    private static Progress progress(String kind, String id, String name, Plan plan, long epochDay, long usedToday) {
        var cap = plan.capOn(epochDay);
        int day = plan.day(epochDay);
        boolean finished = !plan.enabled() || day > plan.schedule().lastDay();
        return new Progress(kind, id, name, plan.scheduleName(), plan.schedule().toString(), plan.target(),
                plan.enabled(), plan.startedOn(), day, cap.isPresent() ? cap.getAsLong() : null, usedToday,
                cap.isPresent() ? Math.max(0, cap.getAsLong() - usedToday) : null, finished);
    }

    /** Every address follows {@code warmup.ip} from the UTC day it joined its pool. */
    private Plan addressPlan(Instant addedAt) {
        return new Plan("ip", settings.ip(), settings.targetDailyVolume(), true, LocalDate.ofInstant(addedAt, ZoneOffset.UTC));
    }

    private Plan plan(WarmupRepository.DomainWarmup domain) {
        String name;
        WarmupSchedule schedule;
        if (domain.schedule() != null) {
            name = "custom";
            schedule = WarmupSchedule.parse(domain.schedule());
        } else if (domain.stream().isBulk()) {
            name = "marketing";
            schedule = settings.marketing();
        } else {
            name = "transactional";
            schedule = settings.transactional();
        }
        long target = domain.targetDailyVolume() != null ? domain.targetDailyVolume() : settings.targetDailyVolume();
        var startedOn = domain.verifiedAt() == null ? null : LocalDate.ofInstant(domain.verifiedAt(), ZoneOffset.UTC);
        return new Plan(name, schedule, target, domain.enabled(), startedOn);
    }

    private long today() {
        return Math.floorDiv(clock.millis(), DAY_MILLIS);
    }

    private static String subject(String domainId) {
        return "domain:" + domainId;
    }

    private static String ipSubject(String address) {
        return "ip:" + address;
    }
}
