package dev.mailroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.webhooks.WebhookService;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.reputation.Alerts;
import dev.mailroom.reputation.Autopilot;
import dev.mailroom.reputation.ReputationSettings;
import dev.mailroom.reputation.TenantHealth;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.reputation.Blocklists;
import dev.mailroom.reputation.Compliance;
import dev.mailroom.submission.IdempotencyKeys;
import dev.mailroom.submission.Submission;
import dev.mailroom.submission.SubmissionRefused;
import java.time.Clock;
import dev.mailroom.reputation.Stats;
import dev.mailroom.tenancy.ApiKeyService;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.IdentityService;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Offboarding;
import dev.mailroom.tenancy.SmtpCredentialService;
import dev.mailroom.tenancy.TenantExport;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.UnavailableException;
import dev.mailroom.tenancy.UserService;
import dev.mailroom.tenancy.ValidationException;
import dev.mailroom.tracking.Tracker;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: REST API v1, health, metrics, the OpenAPI document, the tracking and
 * unsubscribe URLs of sent mail, and whatever {@code pages} adds (the dashboard, wired by app).
 * The API authenticates by Bearer key only: no cookie reaches it, so no other site's page can
 * make a browser call it with a dashboard session.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private final Javalin app;
    private List<RouteTable.Route> routes = List.of();

    /** Where to listen and how large a request body may be. */
    public record Settings(String host, int port, long maxRequestBytes) {}

    /** What the API serves. */
    public record Services(TenantService tenants, TenantRepository tenantRepository, DomainService domains,
            DomainMonitor monitor, ApiKeyService keys, SmtpCredentialService credentials, EventLog events, SuppressionList suppressions,
            DmarcReports dmarcReports, PoolService pools, PoolAssignments poolAssignments, Submission submission, IdempotencyKeys idempotency,
            Tracker tracker, WebhookService webhooks, Alerts alerts, Blocklists blocklists, Compliance compliance, Warmup warmup,
            IdentityService identities, UserService users, Stats stats, TenantHealth health, Autopilot autopilot, ReputationSettings reputationSettings,
            Offboarding offboarding, TenantExport export, Clock clock, BooleanSupplier storeHealthy) {}

    /** @param pages adds routes beside the API's on the same server (the dashboard's pages and assets) */
    public ApiServer(Settings settings, Services services, PrometheusMeterRegistry metrics, Consumer<JavalinConfig> pages) {
        var json = Json.mapper();
        var openApi = OpenApiDocument.load();
        this.app = Javalin.create(config -> configure(config, settings, services, metrics, openApi, json, pages));
    }

    private void configure(JavalinConfig config, Settings settings, Services services, PrometheusMeterRegistry metrics,
            JsonNode openApi, ObjectMapper json, Consumer<JavalinConfig> pages) {
        config.jetty.host = settings.host();
        config.jetty.port = settings.port();
        // stop gracefully: requests in progress (a message being spooled) finish before the server goes
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(10_000);
            server.insertHandler(new org.eclipse.jetty.server.handler.GracefulHandler());
        });
        config.http.maxRequestSize = settings.maxRequestBytes();
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.jsonMapper(new JavalinJackson(json, true));
        config.requestLogger.http((ctx, millis) -> record(metrics, ctx, millis));

        config.routes.before("/v1/*", ctx -> {
            if (!ctx.path().equals("/v1/openapi.json")) {
                Callers.authenticate(ctx, services.keys());
            }
        });
        var table = new RouteTable(config.routes);
        new SystemRoutes(services.storeHealthy(), metrics, openApi).register(table);
        new TenantRoutes(services.tenants(), services.tenantRepository(), services.offboarding(), services.export(), json).register(table);
        new DomainRoutes(services.domains(), services.monitor(), json).register(table);
        new KeyRoutes(services.keys(), json).register(table);
        new UserRoutes(services.users(), json).register(table);
        new CredentialRoutes(services.credentials(), json).register(table);
        new EventRoutes(services.events()).register(table);
        new SuppressionRoutes(services.suppressions(), json).register(table);
        new DmarcReportRoutes(services.dmarcReports()).register(table);
        new PoolRoutes(services.pools(), services.poolAssignments(), json).register(table);
        new MessageRoutes(services.submission(), services.idempotency(), services.clock(), json).register(table);
        new WebhookRoutes(services.webhooks(), json).register(table);
        new AlertRoutes(services.alerts()).register(table);
        new WarmupRoutes(services.domains(), services.pools(), services.warmup(), json).register(table);
        var identities = new IdentityRoutes(services.identities(), json);
        identities.register(table);
        new StatsRoutes(services.stats(), services.tenants(), services.domains(), services.clock()).register(table);
        new ReputationRoutes(services.health(), services.autopilot(), services.reputationSettings(), services.tenants(), json).register(table);
        new BlocklistRoutes(services.blocklists(), services.compliance()).register(table);
        this.routes = table.registered();
        // the URLs in sent mail are for mail programs and browsers, not for API clients: not in the OpenAPI document
        var mailPages = new RouteTable(config.routes);
        new TrackingRoutes(services.tracker()).register(mailPages);
        identities.registerPages(mailPages);
        pages.accept(config);

        config.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e.problem()));
        config.routes.exception(ValidationException.class, (e, ctx) -> problem(ctx,
                Problem.of(422, "invalid-input", "Invalid input", "the request has invalid fields; see errors").withErrors(e.errors())));
        // A clash on a field (a name already taken) is invalid input for that field; a clash with
        // the resource's state (revoking oneself) is a conflict.
        config.routes.exception(ConflictException.class, (e, ctx) -> problem(ctx, e.field() == null
                ? Problem.of(409, "conflict", "Conflict", e.getMessage())
                : Problem.of(422, "invalid-input", "Invalid input", e.getMessage())
                        .withErrors(List.of(new FieldError(e.field(), e.getMessage())))));
        config.routes.exception(SubmissionRefused.class, (e, ctx) -> refused(ctx, e, services.clock()));
        config.routes.exception(UnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", "60");
            problem(ctx, Problem.of(503, "unavailable", "Service unavailable", e.getMessage()));
        });
        config.routes.exception(NotFoundException.class, (e, ctx) -> problem(ctx, Problem.of(404, "not-found", "Not found", e.getMessage())));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, fromStatus(e.getStatus(),
                e.getStatus() == 413 ? "the request body is larger than " + settings.maxRequestBytes() + " bytes (http.max_request_bytes)" : e.getMessage())));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            problem(ctx, Problem.of(500, "internal-error", "Internal server error", "the server failed; the error is logged"));
        });
        // no such endpoint; a route that answered 404 itself (a tracking page for a person) keeps its answer
        config.routes.error(404, ctx -> {
            if (!isProblem(ctx) && ctx.endpoints().matchedHttpEndpoint() == null) {
                problem(ctx, Problem.of(404, "not-found", "Not found", "no endpoint " + ctx.method() + " " + ctx.path()));
            }
        });
        config.routes.error(405, ctx -> {
            if (!isProblem(ctx)) {
                problem(ctx, Problem.of(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed on " + ctx.path()));
            }
        });
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    /** Every route of the API (tracking URLs aside), for checking the OpenAPI document against the code. */
    public List<RouteTable.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        app.stop();
    }

    private static Problem fromStatus(int status, String detail) {
        var title = HttpStatus.forStatus(status).getMessage();
        var slug = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return Problem.of(status, slug, title, detail);
    }

    /** A refused submission in HTTP terms; see {@link SubmissionRefused.Kind} for the mapping. */
    private static void refused(Context ctx, SubmissionRefused e, Clock clock) {
        var errors = e.field() == null ? null : List.of(new FieldError(e.field(), e.getMessage()));
        var problem = switch (e.kind()) {
            case SENDER_NOT_ALLOWED -> Problem.of(422, "sender-not-allowed", "Sender not allowed", e.getMessage()).withErrors(errors);
            case DOMAIN_NOT_VERIFIED -> Problem.of(422, "domain-not-verified", "Domain not verified", e.getMessage()).withErrors(errors);
            case IDENTITY_NOT_CONFIRMED -> Problem.of(422, "identity-not-confirmed", "Identity not confirmed", e.getMessage()).withErrors(errors);
            case MALFORMED -> Problem.of(422, "invalid-input", "Invalid input", e.getMessage()).withErrors(errors);
            case TENANT_NOT_SENDING -> Problem.of(403, "tenant-not-sending", "Tenant not sending", e.getMessage());
            case TOO_LARGE -> Problem.of(413, "message-too-large", "Message too large", e.getMessage());
            case BUSY -> {
                ctx.header("Retry-After", "5");
                yield Problem.of(503, "busy", "Service busy", e.getMessage());
            }
            case CAP_REACHED -> {
                long seconds = Math.max(1, java.time.Duration.between(clock.instant(), e.retryAt()).toSeconds() + 1);
                ctx.header("Retry-After", Long.toString(seconds));
                yield Problem.of(429, "sending-cap-reached", "Sending cap reached", e.getMessage());
            }
        };
        problem(ctx, problem);
    }

    private static boolean isProblem(Context ctx) {
        var type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.CONTENT_TYPE);
    }

    private static void problem(Context ctx, Problem problem) {
        ctx.status(problem.status()).json(problem).contentType(Problem.CONTENT_TYPE);
    }

    private static void record(PrometheusMeterRegistry metrics, Context ctx, float millis) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tag("method", ctx.method().name())
                .tag("route", endpoint == null ? "unmatched" : endpoint.path)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }
}
