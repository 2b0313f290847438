package dev.mailroom.submission;

import dev.mailroom.store.Memo;
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
import java.util.List;
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
    /** Names and tenants held at most (names asked about once, ever, must not pile up). */
    static final int MAX_ENTRIES = 10_000;
    private final DomainRepository domains;
    private final TenantRepository tenants;
    private final Memo<String, List<Domain>> domainsByName;
    private final Memo<String, Tenant> tenantsById;

    SendPolicy(DomainRepository domains, TenantRepository tenants, Clock clock) {
        this.domains = domains;
        this.tenants = tenants;
        this.domainsByName = new Memo<>(clock, LIFETIME, MAX_ENTRIES);
        this.tenantsById = new Memo<>(clock, LIFETIME, MAX_ENTRIES);
    }

    /** Drops what is remembered, after a change to domains or tenants. */
    void forget() {
        domainsByName.forget();
        tenantsById.forget();
    }

    SendingDomain check(Sender sender, String fromDomain, Stream stream) {
        var name = fromDomain.toLowerCase(Locale.ROOT);
        var candidates = domainsByName.get(name, domains::named).stream()
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
        var tenant = tenantsById.get(domain.tenantId(), id -> tenants.find(Scope.AGENCY, id).orElseThrow());
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
