package dev.mailroom.web;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.DomainDetails;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.DomainStatus;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The onboarding wizard, for agency roles: add a client (a tenant), add its sending domain,
 * see the records to publish, and watch them turn green as the page re-checks them every few
 * seconds until the domain is verified. A client viewer meets none of it (404).
 */
public final class OnboardingPage {
    static final String PATH = "/onboarding";
    /** How often the records page may have a domain's DNS checked, whatever number of tabs poll it. */
    static final Duration RECHECK_INTERVAL = Duration.ofSeconds(3);
    private static final String WHAT = "onboarding";

    private final TenantService tenantService;
    private final DomainService domains;
    private final DomainMonitor monitor;
    private final TenantLookup tenants;
    private final CheckThrottle throttle;
    private final Templates templates;

    OnboardingPage(TenantService tenantService, DomainService domains, DomainMonitor monitor, TenantLookup tenants, CheckThrottle throttle,
            Templates templates) {
        this.tenantService = tenantService;
        this.domains = domains;
        this.monitor = monitor;
        this.tenants = tenants;
        this.throttle = throttle;
        this.templates = templates;
    }

    /** Step 1: the client's name as typed, and what was wrong with it. */
    public record ClientView(String name, Map<String, String> errors) {}

    /** Step 2: the domain form for a tenant, as typed, with the choices and the errors by field ({@code ""}: not a field's). */
    public record DomainView(TenantSummary tenant, String name, String stream, String setup, Map<String, String> errors) {
        public List<String> streams() {
            return Forms.words(Stream.class);
        }

        public List<String> setups() {
            return Forms.words(DnsSetup.class);
        }
    }

    /** Steps 3 and 4: the domain's records with what the last check found. */
    public record RecordsView(String tenantId, String domainId, String name, String stream, String setup, String status,
            List<DnsRecord> records, java.time.Instant lastCheckedAt) {
        static RecordsView of(DomainDetails details) {
            var domain = details.domain();
            return new RecordsView(domain.tenantId(), domain.id(), domain.name(), Forms.word(domain.stream()), Forms.word(domain.setup()),
                    Forms.word(domain.status()), details.records(), details.lastCheckedAt());
        }

        public boolean verified() {
            return DomainStatus.VERIFIED.name().equalsIgnoreCase(status);
        }

        public String checkPath() {
            return recordsPath(domainId) + "/check";
        }

        public String tenantPath() {
            return TenantPage.path(tenantId);
        }

        public static String word(Enum<?> value) {
            return Forms.word(value);
        }
    }

    static String recordsPath(String domainId) {
        return PATH + "/domains/" + domainId;
    }

    void register(PageRoutes routes) {
        routes.get(PATH, (ctx, viewer) -> {
            Guards.requireAgency(viewer, WHAT);
            clientForm(ctx, viewer, new ClientView("", Map.of()));
        });
        routes.post(PATH, this::addClient);
        routes.get(PATH + "/{tenantId}/domain", (ctx, viewer) -> {
            Guards.requireAgency(viewer, WHAT);
            domainForm(ctx, viewer, new DomainView(tenants.find(viewer, ctx.pathParam("tenantId")), "", Forms.word(Stream.TRANSACTIONAL),
                    Forms.word(DnsSetup.CNAME), Map.of()));
        });
        routes.post(PATH + "/{tenantId}/domain", this::addDomain);
        routes.get(PATH + "/domains/{domainId}", (ctx, viewer) -> {
            Guards.requireAgency(viewer, WHAT);
            var details = domains.get(Guards.tenantScope(viewer), ctx.pathParam("domainId"));
            templates.page(ctx, viewer, "Publish the records of " + details.domain().name(), "onboarding-records.jte", RecordsView.of(details));
        });
        // the records page polls this (htmx, every 5 s) until the domain is verified
        routes.post(PATH + "/domains/{domainId}/check", (ctx, viewer) -> {
            Guards.requireAgency(viewer, WHAT);
            Guards.requireChange(viewer);
            var scope = Guards.tenantScope(viewer);
            var id = ctx.pathParam("domainId");
            var details = throttle.tryCheck(id) ? monitor.verifyNow(scope, id) : domains.get(scope, id);
            templates.fragment(ctx, "onboarding-status.jte", RecordsView.of(details));
        });
    }

    private void addClient(Context ctx, Viewer viewer) {
        Guards.requireAgency(viewer, WHAT);
        Guards.requireChange(viewer);
        var name = ctx.formParam("name");
        try {
            var tenant = tenantService.create(name, Map.of());
            ctx.redirect(PATH + "/" + tenant.id() + "/domain", HttpStatus.SEE_OTHER);
        } catch (ValidationException refused) {
            ctx.status(422);
            clientForm(ctx, viewer, new ClientView(name, Forms.errors(refused)));
        }
    }

    private void addDomain(Context ctx, Viewer viewer) {
        Guards.requireAgency(viewer, WHAT);
        Guards.requireChange(viewer);
        var tenant = tenants.find(viewer, ctx.pathParam("tenantId"));
        var name = ctx.formParam("name");
        var streamText = ctx.formParam("stream");
        var setupText = ctx.formParam("setup");
        try {
            var stream = Forms.choice("stream", Stream.class, streamText, Stream.TRANSACTIONAL);
            var setup = Forms.choice("setup", DnsSetup.class, setupText, DnsSetup.CNAME);
            if (name == null || name.isBlank()) {
                throw new ValidationException("name", "is required");
            }
            var added = domains.add(Guards.tenantScope(viewer), tenant.id(), name, stream, setup);
            ctx.redirect(recordsPath(added.domain().id()), HttpStatus.SEE_OTHER);
        } catch (ValidationException | ConflictException refused) {
            ctx.status(422);
            domainForm(ctx, viewer, new DomainView(tenant, name, streamText, setupText, Forms.errors(refused)));
        }
    }

    private void clientForm(Context ctx, Viewer viewer, ClientView view) {
        templates.page(ctx, viewer, "Add a client", "onboarding.jte", view);
    }

    private void domainForm(Context ctx, Viewer viewer, DomainView view) {
        templates.page(ctx, viewer, "Add a domain for " + view.tenant().name(), "onboarding-domain.jte", view);
    }
}
