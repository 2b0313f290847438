package dev.mailroom.feedback.dmarc;

import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainRepository;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DMARC aggregate reports: taken in from the inbound MX, which hands over each attachment of a
 * message sent to {@code dmarc+<token>@<platform_domain>} with the token from that address
 * (splitting the MIME is its business), and read back per tenant and domain.
 *
 * <p>A report is stored for the name its token stands for, when the policy it reports on is that
 * name's or a subdomain's. The token is public (it is in the domain's DMARC record), so anyone
 * can point any domain's {@code rua} at it: a report about another domain is refused, lest a
 * stranger fill a tenant's view. Only whoever runs the DNS under the name can publish a policy
 * for a subdomain, so those reports are the tenant's, unless another tenant added that
 * subdomain (or a name between) as a domain of its own.
 */
public final class DmarcReports {
    private static final Logger LOG = LoggerFactory.getLogger(DmarcReports.class);
    /** Tokens are ten characters ({@code DomainService}); the column holds 40. */
    private static final int MAX_TOKEN = 40;
    private final ReportStore store;
    private final DomainRepository domains;
    private final Ids ids;
    private final Clock clock;

    public DmarcReports(Jdbi jdbi, DomainRepository domains, Ids ids, Clock clock) {
        this.store = new ReportStore(jdbi);
        this.domains = domains;
        this.ids = ids;
        this.clock = clock;
    }

    /** A report with every record, as {@code GET /v1/dmarc-reports/{id}} shows it. */
    public record Detail(DmarcReport report, List<ReportRecord> records) {}

    /** Whether {@code dmarc+<domainToken>@} is some domain's report address (for the MX to refuse others at RCPT). */
    public boolean knowsToken(String domainToken) {
        var token = normalised(domainToken);
        return token != null && !domains.withToken(token).isEmpty();
    }

    /**
     * Reads one attachment of a message sent to {@code dmarc+<domainToken>@<platform_domain>}
     * and stores the report in it. The format is told from the bytes; {@code contentType} and
     * {@code filename} (either may be null) are what the sender claimed, logged with a refusal.
     * A refusal stores nothing and is final; a failing database throws, and the MX should ask
     * the sender to try again later.
     */
    public Ingested ingest(String domainToken, byte[] attachment, String contentType, String filename) {
        try {
            var domain = domainOf(domainToken);
            var report = AggregateReportParser.parse(Unpacker.xml(attachment, Unpacker.Limits.DEFAULT));
            checkPolicyDomain(report.policy().domain(), domain);
            var existing = store.idOf(domain.tenantId(), domain.name(), report.metadata());
            if (existing.isPresent()) {
                return new Ingested.Duplicate(existing.get());
            }
            var id = ids.next("dmr");
            if (!store.insert(id, domain.tenantId(), domain.name(), report, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
                return new Ingested.Duplicate(store.idOf(domain.tenantId(), domain.name(), report.metadata()).orElseThrow());
            }
            LOG.info("DMARC report {} stored for {}: '{}' from {}, {} records, {} messages", id, domain.name(), report.metadata().reportId(),
                    report.metadata().orgName(), report.records().size(), report.messageCount());
            return new Ingested.Stored(id);
        } catch (ReportRefused e) {
            LOG.info("DMARC report to dmarc+{} ({}, {}, {} bytes) refused, {}: {}", domainToken, contentType, filename, attachment.length,
                    e.reason(), e.getMessage());
            return new Ingested.Refused(e.reason(), e.getMessage());
        }
    }

    /**
     * A page of reports, oldest first: those of one domain's name when {@code domainId} is given
     * (it must be in scope), else every report in scope, which must then reach whole tenants.
     * {@code since}: only reports whose period ends at or after it.
     */
    public Page<DmarcReport> list(Scope scope, String domainId, Instant since, String after, int limit) {
        if (domainId != null) {
            var domain = domains.find(scope, domainId).orElseThrow(() -> new NotFoundException("domain", domainId));
            return store.list(domain.tenantId(), domain.name(), since, after, limit);
        }
        if (scope.domainIds() != null) {
            throw new ValidationException("domain_id", "is required: this key is limited to some domains");
        }
        return store.list(scope.tenantId(), null, since, after, limit);
    }

    /** A report with its records, if the scope reaches a domain on its name. */
    public Detail get(Scope scope, String id) {
        var report = store.find(id).filter(found -> visible(scope, found)).orElseThrow(() -> new NotFoundException("dmarc report", id));
        return new Detail(report, store.records(id));
    }

    private boolean visible(Scope scope, DmarcReport report) {
        if (!scope.coversTenant(report.tenantId())) {
            return false;
        }
        return scope.domainIds() == null || domains.named(report.domain()).stream()
                .anyMatch(domain -> scope.coversDomain(report.tenantId(), domain.id()) && domain.tenantId().equals(report.tenantId()));
    }

    /** The domain (any stream: they share the name and token) a report address stands for. */
    private Domain domainOf(String domainToken) throws ReportRefused {
        var token = normalised(domainToken);
        var found = token == null ? List.<Domain>of() : domains.withToken(token);
        if (found.isEmpty()) {
            throw new ReportRefused(Refusal.UNKNOWN_RECIPIENT, "dmarc+" + domainToken + " is not the report address of any domain");
        }
        return found.getFirst();
    }

    /** Tokens are lower case; mail systems may change the case of a local part on the way. */
    private static String normalised(String token) {
        return token == null || token.isBlank() || token.length() > MAX_TOKEN ? null : token.strip().toLowerCase(Locale.ROOT);
    }

    private void checkPolicyDomain(String policyDomain, Domain domain) throws ReportRefused {
        var name = domain.name();
        if (!policyDomain.equals(name) && !policyDomain.endsWith("." + name)) {
            throw new ReportRefused(Refusal.DOMAIN_MISMATCH, "the report is about " + policyDomain + "; this address takes reports about "
                    + name + " and its subdomains");
        }
        for (var between = policyDomain; !between.equals(name); between = between.substring(between.indexOf('.') + 1)) {
            var claim = domains.claimOf(between);
            if (claim.isPresent() && !claim.get().tenantId().equals(domain.tenantId())) {
                throw new ReportRefused(Refusal.DOMAIN_MISMATCH, "the report is about " + policyDomain
                        + "; this address does not take reports about " + between);
            }
        }
    }
}
