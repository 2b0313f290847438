package dev.mailroom.web;

import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.webhooks.WebhookService;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.reputation.Alerts;
import dev.mailroom.reputation.Autopilot;
import dev.mailroom.reputation.Blocklists;
import dev.mailroom.reputation.ReputationActions;
import dev.mailroom.reputation.Stats;
import dev.mailroom.reputation.TenantHealth;
import dev.mailroom.submission.Submission;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.Offboarding;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.Sessions;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.UserService;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The dashboard: server-rendered pages (jte + htmx) on the same server as the API, behind a
 * cookie session. The API (/v1) never reads that cookie, and the dashboard never takes API keys.
 * Each page group is a class with {@code register(PageRoutes)}, added in {@link #register}.
 */
public final class Dashboard {
    /** Failed logins tolerated per email, and per client address (many people may share one), in {@link #THROTTLE_WINDOW}. */
    static final int FAILURES_PER_EMAIL = 5;
    static final int FAILURES_PER_ADDRESS = 20;
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);

    /** What the dashboard needs beyond the services: whether its cookie is {@code Secure} ({@code http.secure_cookies}). */
    public record Settings(boolean secureCookies) {}

    /** What the dashboard reads and changes. */
    public record Services(UserService users, Sessions sessions, TenantRepository tenants, PoolService pools, Clock clock,
            TenantHealth health, Stats stats, DomainService domains, DomainMonitor domainMonitor, DmarcReports dmarcReports,
            TenantService tenantService, SuppressionList suppressions, EventLog events, Submission submission, WebhookService webhooks,
            PoolAssignments assignments, Offboarding offboarding, Autopilot autopilot, Alerts alerts, ReputationActions actions,
            Blocklists blocklists) {}

    private final Settings settings;
    private final Services services;

    public Dashboard(Settings settings, Services services) {
        this.settings = settings;
        this.services = services;
    }

    /** Adds the dashboard's assets and pages to the HTTP server's configuration. */
    public void register(JavalinConfig config) {
        var assets = Assets.load();
        assets.register(config);
        var templates = new Templates(assets);
        var cookie = new SessionCookie(settings.secureCookies());
        var routes = new PageRoutes(config.routes, services.sessions(), cookie, templates);
        new LoginPage(services.users(), services.sessions(), cookie,
                new LoginThrottle(FAILURES_PER_EMAIL, THROTTLE_WINDOW, services.clock()),
                new LoginThrottle(FAILURES_PER_ADDRESS, THROTTLE_WINDOW, services.clock()), templates).register(routes);
        new OverviewPage(new OverviewPage.Services(services.tenants(), services.pools(), services.assignments(), services.offboarding(),
                services.stats(), services.autopilot(), services.alerts(), services.actions(), services.blocklists(), services.clock()),
                templates).register(routes);
        var tenantLookup = new TenantLookup(services.tenants(), services.pools());
        new TenantPage(tenantLookup, services.health(), services.stats(), services.dmarcReports(), services.clock(), templates).register(routes);
        new DomainsPage(tenantLookup, services.domains(), services.domainMonitor(), templates).register(routes);
        new OnboardingPage(services.tenantService(), services.domains(), services.domainMonitor(), tenantLookup,
                new CheckThrottle(OnboardingPage.RECHECK_INTERVAL, services.clock()), templates).register(routes);
        new SuppressionsPage(services.suppressions(), services.domains(), tenantLookup, templates).register(routes);
        new EventsPage(services.events(), services.submission(), tenantLookup, templates).register(routes);
        new WebhooksPage(services.webhooks(), tenantLookup, templates).register(routes);
    }
}
