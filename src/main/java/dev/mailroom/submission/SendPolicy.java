package dev.mailroom.submission;

import dev.mailroom.submission.SubmissionRefused.Kind;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainStatus;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantStatus;
import dev.mailroom.tenancy.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Decides whether a sender may send from a domain now: the domain must be the sender's tenant's
 * (and among a limited key's domains), verified and not failing, and the tenant must be sending.
 * A domain of another tenant is refused in the same words as one that does not exist, so the
 * answer reveals nothing about other tenants.
 */
final class SendPolicy {
    /**
     * How long a domain's or tenant's state is taken from memory. Changes made through this
     * node clear it at once ({@link #forget}); the lifetime bounds how long a change made
     * elsewhere (another node, the DNS monitor) takes to be seen.
     */
    static final Duration LIFETIME = Duration.ofSeconds(5);
    private final DomainRepository domains;
    private final TenantRepository tenants;
    private final Clock clock;
    private final ConcurrentHashMap<String, Remembered<List<Domain>>> domainsByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Remembered<Tenant>> tenantsById = new ConcurrentHashMap<>();

    private record Remembered<T>(T value, Instant expires) {}

    SendPolicy(DomainRepository domains, TenantRepository tenants, Clock clock) {
        this.domains = domains;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** Entries kept per cache at most; past it the cache starts again (names asked about once, ever, must not pile up). */
    static final int MAX_ENTRIES = 10_000;
    /** Counts changes, so that a lookup that began before a change never stores what it read. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    /** Drops what is remembered, after a change to domains or tenants. */
    void forget() {
        generation.incrementAndGet();
        domainsByName.clear();
        tenantsById.clear();
    }

    private <K, T> T remembered(ConcurrentHashMap<K, Remembered<T>> cache, K key, Function<K, T> load) {
        var now = clock.instant();
        var entry = cache.get(key);
        if (entry == null || !now.isBefore(entry.expires())) {
            long before = generation.get();
            entry = new Remembered<>(load.apply(key), now.plus(LIFETIME));
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, entry);
            if (generation.get() != before) {
                cache.remove(key, entry); // a change came while this was read: do not keep it
            }
        }
        return entry.value();
    }

    SendingDomain check(Sender sender, String fromDomain, Stream stream) {
        var name = fromDomain.toLowerCase(Locale.ROOT);
        var candidates = remembered(domainsByName, name, domains::named).stream()
                .filter(d -> sender.tenantId() == null || d.tenantId().equals(sender.tenantId()))
                .toList();
        if (candidates.isEmpty()) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from",
                    name + " is not a sending domain of this tenant; add it with POST /v1/domains and publish its DNS records");
        }
        var allowed = candidates.stream().filter(d -> sender.domainIds() == null || sender.domainIds().contains(d.id())).toList();
        if (allowed.isEmpty()) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from", "this key or credential is limited to other domains than " + name);
        }
        var domain = pick(allowed, name, stream);
        var tenant = remembered(tenantsById, domain.tenantId(), id -> tenants.find(Scope.AGENCY, id).orElseThrow());
        if (tenant.status() == TenantStatus.PAUSED || tenant.status() == TenantStatus.OFFBOARDED) {
            var why = tenant.statusReason() == null ? "" : ": " + tenant.statusReason();
            throw new SubmissionRefused(Kind.TENANT_NOT_SENDING, null,
                    "tenant " + tenant.id() + " is " + tenant.status().name().toLowerCase(Locale.ROOT) + why);
        }
        if (domain.status() != DomainStatus.VERIFIED) {
            throw new SubmissionRefused(Kind.DOMAIN_NOT_VERIFIED, "from", domain.status() == DomainStatus.FAILING
                    ? name + " fails its DNS checks now; mail from it is held until its records are fixed (see GET /v1/domains/" + domain.id() + ")"
                    : name + " is not verified yet: publish its DNS records and POST /v1/domains/" + domain.id() + "/verify");
        }
        return new SendingDomain(tenant, domain);
    }

    /** The stream asked for; else the only one; else transactional, the default stream. */
    private static Domain pick(List<Domain> allowed, String name, Stream stream) {
        if (stream != null) {
            return allowed.stream().filter(d -> d.stream() == stream).findFirst().orElseThrow(() -> new SubmissionRefused(
                    Kind.SENDER_NOT_ALLOWED, "stream", name + " is not set up for the " + stream.name().toLowerCase(Locale.ROOT) + " stream"));
        }
        if (allowed.size() == 1) {
            return allowed.get(0);
        }
        return allowed.stream().filter(d -> d.stream() == Stream.TRANSACTIONAL).findFirst().orElseThrow(() -> new SubmissionRefused(
                Kind.SENDER_NOT_ALLOWED, "stream", name + " carries several streams (" + allowed.stream()
                        .map(d -> d.stream().name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + "); say which in 'stream'"));
    }
}
