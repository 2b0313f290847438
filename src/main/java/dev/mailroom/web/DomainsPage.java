package dev.mailroom.web;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.DomainWarning;
import dev.mailroom.tenancy.Scope;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /tenants/{id}/domains}: each domain of a tenant with every DNS record it needs, as
 * {@code GET /v1/domains/{id}} shows them, and (for the agency) a "Check now" button that does
 * what {@code POST /v1/domains/{id}/verify} does. With htmx the button replaces the domain's
 * card with the checked one; without, the browser comes back to the page.
 */
public final class DomainsPage {
    private final TenantLookup tenants;
    private final DomainService domains;
    private final DomainMonitor monitor;
    private final Templates templates;

    DomainsPage(TenantLookup tenants, DomainService domains, DomainMonitor monitor, Templates templates) {
        this.tenants = tenants;
        this.domains = domains;
        this.monitor = monitor;
        this.templates = templates;
    }

    static String path(String tenantId) {
        return TenantPage.path(tenantId) + "/domains";
    }

    public record View(TenantSummary tenant, List<Card> domains) {}

    /**
     * One domain as its card shows it; {@code checkPath} is null for a viewer that may not
     * check (a client viewer), {@code csrfToken} the form's token.
     */
    public record Card(String id, String name, String stream, String setup, String status, Instant lastCheckedAt, List<Row> records,
            List<String> warnings, String checkPath, String csrfToken) {}

    /** A DNS record in the API's words: purpose, type, name, value, required, status, detail. */
    public record Row(String purpose, String type, String name, String value, boolean required, String status, String detail) {
        static Row of(DnsRecord record) {
            return new Row(TenantPage.word(record.purpose()), record.type(), record.name(), record.value(), record.required(), TenantPage.word(record.status()),
                    record.detail());
        }
    }

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}/domains", (ctx, viewer) -> {
            var summary = tenants.find(viewer, ctx.pathParam("id"));
            var cards = new ArrayList<Card>();
            Page.forEach((after, limit) -> domains.list(Scope.tenant(summary.id()), after, limit),
                    (DomainDetails details) -> cards.add(card(details, viewer)));
            templates.page(ctx, viewer, summary.name() + " · Domains", "domains.jte", new View(summary, cards));
        });
        routes.post("/tenants/{id}/domains/{domain}/check", (ctx, viewer) -> {
            Guards.requireChange(viewer);
            var summary = tenants.find(viewer, ctx.pathParam("id"));
            var checked = monitor.verifyNow(Scope.tenant(summary.id()), ctx.pathParam("domain"));
            if ("true".equals(ctx.header("HX-Request"))) {
                templates.fragment(ctx, "domain-card.jte", card(checked, viewer));
            } else {
                ctx.redirect(path(summary.id()) + "#domain-" + checked.domain().id(), HttpStatus.SEE_OTHER);
            }
        });
    }

    private static Card card(DomainDetails details, Viewer viewer) {
        var domain = details.domain();
        var checkPath = viewer.isAgency() ? path(domain.tenantId()) + "/" + domain.id() + "/check" : null;
        return new Card(domain.id(), domain.name(), TenantPage.word(domain.stream()), TenantPage.word(domain.setup()), TenantPage.word(domain.status()), details.lastCheckedAt(),
                details.records().stream().map(Row::of).toList(), details.warnings().stream().map(DomainWarning::message).toList(), checkPath,
                viewer.csrfToken());
    }
}
