package dev.mailroom.tenancy;

import dev.mailroom.dns.DmarcDiscovery;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.message.EmailAddress;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Sender identities: one address of a tenant without a domain of its own, usable as From once
 * someone at the address followed the link mailed to it. Such mail is signed by the agency's
 * domain, not the address's, so it cannot align with the address's DMARC policy: addresses
 * whose domain asks receivers to quarantine or reject unaligned mail are refused up front.
 */
public final class IdentityService {
    /** How long a confirmation link works. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    private final IdentityRepository identities;
    private final TenantService tenants;
    private final DmarcDiscovery dmarc;
    private final Confirmations confirmations;
    private final Ids ids;
    private final Clock clock;

    /** Mails confirmation links; owned here, implemented by submission, which sends as the agency. */
    public interface Confirmations {
        /** Throws (naming the configuration) when no confirmation could be sent now, before anything is stored. */
        void requireReady();

        /** Sends the link with {@code token} to the identity's address; throws when it was not accepted. */
        void send(Identity identity, String token);
    }

    public IdentityService(IdentityRepository identities, TenantService tenants, DmarcDiscovery dmarc, Confirmations confirmations, Ids ids,
            Clock clock) {
        this.identities = identities;
        this.tenants = tenants;
        this.dmarc = dmarc;
        this.confirmations = confirmations;
        this.ids = ids;
        this.clock = clock;
    }

    /** A pending identity, after its confirmation message was accepted; on any refusal nothing is stored. */
    public Identity create(Scope scope, String tenantId, String email) {
        tenants.get(scope, tenantId);
        var address = address(email);
        if (!identities.withEmail(Scope.tenant(tenantId), address).isEmpty()) {
            throw new ConflictException(null, address + " is a sender identity of tenant " + tenantId + " already");
        }
        confirmations.requireReady();
        refuseStrictDmarc(address);
        var token = Secrets.generate();
        var now = now();
        var identity = new Identity(ids.next("idn"), tenantId, address, IdentityStatus.PENDING, now, null);
        try {
            identities.insert(identity, Secrets.hash(token), now.plus(TOKEN_LIFETIME));
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.violated(e)) {
                throw new ConflictException(null, address + " is a sender identity of tenant " + tenantId + " already");
            }
            throw e;
        }
        try {
            confirmations.send(identity, token);
        } catch (RuntimeException e) {
            identities.delete(identity);
            throw e;
        }
        return identity;
    }

    /** Mails a new link to a pending identity; the old link stops working. */
    public Identity resend(Scope scope, String id) {
        var identity = get(scope, id);
        if (identity.status() != IdentityStatus.PENDING) {
            throw new ConflictException(null, identity.email() + " is confirmed already");
        }
        confirmations.requireReady();
        var token = Secrets.generate();
        if (!identities.replaceToken(identity, Secrets.hash(token), now().plus(TOKEN_LIFETIME))) {
            throw new ConflictException(null, identity.email() + " was confirmed or deleted meanwhile");
        }
        confirmations.send(identity, token);
        return identity;
    }

    public Identity get(Scope scope, String id) {
        return identities.find(scope, id).orElseThrow(() -> new NotFoundException("identity", id));
    }

    public Page<Identity> list(Scope scope, String after, int limit) {
        return identities.list(scope, after, limit);
    }

    public void delete(Scope scope, String id) {
        identities.delete(get(scope, id));
    }

    /** The identity a link's token names, pending or confirmed, while the link works; reading changes nothing. */
    public Optional<Identity> confirmable(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return identities.withToken(Secrets.hash(token)).filter(found -> found.tokenExpiresAt().isAfter(clock.instant()))
                .map(IdentityRepository.Confirmable::identity);
    }

    /** Confirms the identity a working link names (again: no change) and answers it as it is now (empty: deleted meanwhile). */
    public Optional<Identity> confirm(String token) {
        return confirmable(token).flatMap(identity -> {
            if (identity.status() == IdentityStatus.PENDING) {
                identities.markVerified(identity, now());
            }
            return identities.find(Scope.tenant(identity.tenantId()), identity.id());
        });
    }

    /** A bare address, lower-case with its domain in ASCII: how identities are stored and compared. */
    private static String address(String email) {
        EmailAddress parsed;
        try {
            parsed = EmailAddress.parse(email);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("email", e.getMessage());
        }
        if (parsed.displayName() != null) {
            throw new ValidationException("email", "give the address alone, without a display name");
        }
        return parsed.address().toLowerCase(Locale.ROOT);
    }

    private void refuseStrictDmarc(String address) {
        var domain = address.substring(address.lastIndexOf('@') + 1);
        switch (dmarc.discover(domain)) {
            case DmarcDiscovery.Absent ignored -> { }
            case DmarcDiscovery.Unknown unknown -> throw new UnavailableException("the DMARC policy of " + domain
                    + " could not be looked up (" + unknown.reason() + "); try again shortly");
            case DmarcDiscovery.Published published -> {
                if (published.applied() != DmarcRecord.Policy.NONE) {
                    var policy = published.applied().name().toLowerCase(Locale.ROOT);
                    throw new ValidationException("email", domain + " publishes DMARC p=" + policy + " (" + published.recordName()
                            + "): mail from this address through Mailroom is signed by the agency's domain, so it fails DMARC alignment and "
                            + "receivers would " + (policy.equals("reject") ? "reject" : "junk") + " it; add the domain itself instead "
                            + "(POST /v1/domains)");
                }
            }
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
