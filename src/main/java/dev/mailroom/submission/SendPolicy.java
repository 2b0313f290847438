package dev.mailroom.submission;

import dev.mailroom.message.EmailAddress;
import dev.mailroom.store.Memo;
import dev.mailroom.submission.SubmissionRefused.Kind;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.DomainStatus;
import dev.mailroom.tenancy.IdentityStatus;
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
 * answer reveals nothing about other tenants; so is another tenant's sender identity.
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
    private final Submission.Identities identities;
    /** The domain of identities.from, which signs mail sent as sender identities; null when unset. */
    private final String identityDomain;
    private final Memo<String, List<Domain>> domainsByName;
    private final Memo<String, Tenant> tenantsById;

    SendPolicy(DomainRepository domains, TenantRepository tenants, Submission.Identities identities, String identityDomain, Clock clock) {
        this.domains = domains;
        this.tenants = tenants;
        this.identities = identities;
        this.identityDomain = identityDomain == null ? null : identityDomain.toLowerCase(Locale.ROOT);
        this.domainsByName = new Memo<>(clock, LIFETIME, MAX_ENTRIES);
        this.tenantsById = new Memo<>(clock, LIFETIME, MAX_ENTRIES);
    }

    /** Drops what is remembered, after a change to domains or tenants. */
    void forget() {
        domainsByName.forget();
        tenantsById.forget();
    }

    /**
     * A From domain of the sender's tenant; else, when the address is one of the tenant's sender
     * identities, the identity's tenant with the agency's domain (identities.from) to sign and
     * carry the return path.
     */
    SendingDomain check(Sender sender, EmailAddress from, Stream stream) {
        var name = from.domain();
        var candidates = domainsByName.get(name, domains::named).stream()
                .filter(d -> sender.tenantId() == null || d.tenantId().equals(sender.tenantId()))
                .toList();
        if (candidates.isEmpty()) {
            return asIdentity(sender, from.address().toLowerCase(Locale.ROOT), stream).orElseThrow(() -> new SubmissionRefused(
                    Kind.SENDER_NOT_ALLOWED, "from", name + " is not a sending domain of this tenant; add it with POST /v1/domains and "
                            + "publish its DNS records (or, for a single address, confirm it with POST /v1/identities)"));
        }
        var allowed = candidates.stream().filter(d -> sender.domainIds() == null || sender.domainIds().contains(d.id())).toList();
        if (allowed.isEmpty()) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from", "this key or credential is limited to other domains than " + name);
        }
        var domain = pick(allowed, name, stream);
        var tenant = sendingTenant(domain.tenantId());
        return new SendingDomain(tenant, requireVerified(domain, name));
    }

    /**
     * The agency's domain that signs identity mail: identities.from's, transactional (mail that
     * cannot align with its From domain's DMARC must not be bulk mail), verified.
     */
    Domain identityDomain() {
        if (identityDomain == null) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from",
                    "sender identities need identities.from in the configuration: an address at a verified domain of the agency");
        }
        var domain = domainsByName.get(identityDomain, domains::named).stream().filter(d -> d.stream() == Stream.TRANSACTIONAL).findFirst()
                .orElseThrow(() -> new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from", "the domain of identities.from, " + identityDomain
                        + ", is not a transactional sending domain of any tenant; add it with POST /v1/domains"));
        return requireVerified(domain, identityDomain);
    }

    private java.util.Optional<SendingDomain> asIdentity(Sender sender, String address, Stream stream) {
        var found = identities.withEmail(sender.tenantId() == null ? Scope.AGENCY : Scope.tenant(sender.tenantId()), address);
        if (found.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (sender.domainIds() != null) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from", "this key or credential is limited to some domains; sending as the "
                    + "sender identity " + address + " needs one that is not");
        }
        if (found.size() > 1) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "from", address + " is a sender identity of several tenants; send with a key "
                    + "or credential of the tenant meant");
        }
        var identity = found.getFirst();
        if (identity.status() != IdentityStatus.VERIFIED) {
            throw new SubmissionRefused(Kind.IDENTITY_NOT_CONFIRMED, "from", address + " is a sender identity that is not confirmed yet: "
                    + "follow the link mailed to it (POST /v1/identities/" + identity.id() + "/resend mails a new one)");
        }
        if (stream != null && stream != Stream.TRANSACTIONAL) {
            throw new SubmissionRefused(Kind.SENDER_NOT_ALLOWED, "stream", "a sender identity sends transactional mail only; "
                    + stream.name().toLowerCase(Locale.ROOT) + " mail needs a domain of its own (POST /v1/domains)");
        }
        var tenant = sendingTenant(identity.tenantId());
        return java.util.Optional.of(new SendingDomain(tenant, identityDomain()));
    }

    private Tenant sendingTenant(String tenantId) {
        var tenant = tenantsById.get(tenantId, id -> tenants.find(Scope.AGENCY, id).orElseThrow());
        if (tenant.status() == TenantStatus.PAUSED || tenant.status() == TenantStatus.OFFBOARDED) {
            var why = tenant.statusReason() == null ? "" : ": " + tenant.statusReason();
            throw new SubmissionRefused(Kind.TENANT_NOT_SENDING, null,
                    "tenant " + tenant.id() + " is " + tenant.status().name().toLowerCase(Locale.ROOT) + why);
        }
        return tenant;
    }

    private static Domain requireVerified(Domain domain, String name) {
        if (domain.status() != DomainStatus.VERIFIED) {
            throw new SubmissionRefused(Kind.DOMAIN_NOT_VERIFIED, "from", domain.status() == DomainStatus.FAILING
                    ? name + " fails its DNS checks now; mail from it is held until its records are fixed (see GET /v1/domains/" + domain.id() + ")"
                    : name + " is not verified yet: publish its DNS records and POST /v1/domains/" + domain.id() + "/verify");
        }
        return domain;
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
