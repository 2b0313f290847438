package dev.mailroom.web;

import dev.mailroom.delivery.Pool;
import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.reputation.Alert;
import dev.mailroom.reputation.Alerts;
import dev.mailroom.reputation.Autopilot;
import dev.mailroom.reputation.Blocklists;
import dev.mailroom.reputation.Counts;
import dev.mailroom.reputation.Listing;
import dev.mailroom.reputation.Percent;
import dev.mailroom.reputation.ReputationActions;
import dev.mailroom.reputation.Stats;
import dev.mailroom.reputation.StatsFilter;
import dev.mailroom.reputation.Thresholds;
import dev.mailroom.reputation.Verdict;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.Offboarding;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantStatus;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /}: the agency's overview. Every tenant with its last day's volume and rates against its
 * thresholds and its open alerts; every pool with its health and blocklist listings; the open
 * alerts and the autopilot's latest actions, with buttons to resume a tenant or move an isolated
 * one back. A client viewer has one tenant, so it goes straight to that tenant's page.
 */
public final class OverviewPage {
    static final String PATH = "/";
    /** How many open alerts and actions the feed shows; the rest are in the API ({@code GET /v1/alerts}). */
    static final int FEED_LENGTH = 50;
    private static final Duration DAY = Duration.ofHours(24);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What the overview reads and changes: the services the API's tenant, pool, stats, alert and blocklist routes use. */
    record Services(TenantRepository tenants, PoolService pools, PoolAssignments assignments, Offboarding offboarding, Stats stats,
            Autopilot autopilot, Alerts alerts, ReputationActions actions, Blocklists blocklists, Clock clock) {}

    private final Services services;
    private final Templates templates;

    OverviewPage(Services services, Templates templates) {
        this.services = services;
        this.templates = templates;
    }

    /**
     * A rate against its thresholds: {@code value} in words ("2.4%", or "—" below the minimum
     * volume), {@code level} ok | warning | critical | unknown, {@code limits} the thresholds.
     */
    public record Rate(String value, String level, String limits) {
        /** The level in words for the page: unknown means too few messages to judge. */
        public String word() {
            return level.equals("unknown") ? "below the minimum volume" : level;
        }
    }

    public record TenantRow(TenantSummary tenant, long sent, long delivered, Rate bounce, Rate complaint, int openAlerts) {}

    /** A pool's last day and the blocklists that list one of its addresses now. */
    public record PoolRow(String id, String name, String tier, int addresses, int tenants, long sent, long delivered, Rate bounce,
            Rate complaint, List<Listing> listings) {}

    /** An open alert; {@code subject} names its tenant, or the pool or IP of an agency-wide one. */
    public record AlertRow(String severity, String subject, String tenantId, String kind, String message, Instant raisedAt, String time) {}

    /** What the button of an action does, if it still can: resume the tenant, or move it back to {@code poolId}. */
    public record Undo(String label, String path, String poolId, String poolName) {}

    public record ActionRow(String tenantId, String tenantName, String action, String reason, Instant takenAt, String time, boolean undone,
            Undo undo) {}

    /** The message after an action; {@code error} when it could not be done. */
    public record Flash(String message, boolean error) {}

    /** @param next the {@code after} of the next page of tenants, or null on the last */
    public record View(List<TenantRow> tenants, String next, int minVolume, List<PoolRow> pools, List<AlertRow> alerts, int moreAlerts,
            List<ActionRow> actions, Flash flash) {}

    void register(PageRoutes routes) {
        routes.get(PATH, (ctx, viewer) -> {
            if (!viewer.isAgency()) {
                ctx.redirect(TenantPage.path(viewer.tenantId()), HttpStatus.SEE_OTHER);
                return;
            }
            render(ctx, viewer, flash(ctx));
        });
        routes.post("/tenants/{id}/resume", (ctx, viewer) -> change(ctx, viewer, "resumed",
                () -> services.offboarding().resume(Guards.tenantScope(viewer), ctx.pathParam("id"), false)));
        routes.post("/tenants/{id}/pool", (ctx, viewer) -> change(ctx, viewer, "moved",
                () -> services.assignments().assignTenant(Guards.tenantScope(viewer), ctx.pathParam("id"), ctx.formParam("pool_id"))));
    }

    @FunctionalInterface
    private interface Change {
        void run() throws Exception;
    }

    /**
     * An action of the feed, as its API route does it; back to the overview, saying what was done
     * (a redirect, so that reloading does not do it again), or why it could not be.
     */
    private void change(Context ctx, Viewer viewer, String done, Change change) throws Exception {
        Guards.requireChange(viewer);
        try {
            change.run();
        } catch (ConflictException | ValidationException e) {
            ctx.status(409);
            render(ctx, viewer, new Flash(e.getMessage(), true));
            return;
        }
        ctx.redirect(PATH + "?done=" + done + "&tenant=" + URLEncoder.encode(ctx.pathParam("id"), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }

    /** The message of a redirect after an action, saying how the tenant is now. */
    private Flash flash(Context ctx) {
        var done = ctx.queryParam("done");
        var tenantId = ctx.queryParam("tenant");
        if (done == null || tenantId == null) {
            return null;
        }
        var tenant = services.tenants().find(Scope.AGENCY, tenantId);
        if (tenant.isEmpty()) {
            return null;
        }
        var now = TenantSummary.of(tenant.get(), TenantSummary.poolName(services.pools(), tenant.get().pool()));
        return switch (done) {
            case "resumed" -> new Flash(now.name() + " resumed: its status is " + now.status() + ".", false);
            case "moved" -> new Flash(now.name() + " moved: its pool is " + now.poolName() + ".", false);
            default -> null;
        };
    }

    private void render(Context ctx, Viewer viewer, Flash flash) {
        var now = services.clock().instant();
        var from = now.minus(DAY);
        var stats = services.stats();
        var poolNames = TenantSummary.poolNames(services.pools());
        var all = new LinkedHashMap<String, Tenant>();
        Page.forEach((after, limit) -> services.tenants().list(Scope.AGENCY, after, limit), tenant -> all.put(tenant.id(), tenant));
        var openAlerts = services.alerts().allOpen();
        var alertsByTenant = new HashMap<String, Integer>();
        openAlerts.stream().filter(alert -> alert.tenantId() != null).forEach(alert -> alertsByTenant.merge(alert.tenantId(), 1, Integer::sum));

        var page = services.tenants().list(Scope.AGENCY, ctx.queryParam("after"), Page.DEFAULT_LIMIT);
        var volumes = stats.byTenant(StatsFilter.ALL, from, now);
        var rows = new ArrayList<TenantRow>();
        for (var tenant : page.data()) {
            // the day the autopilot judges: it starts where an operator's undo reset it, as in GET /v1/tenants/{id}/health
            var start = services.autopilot().windowStart(tenant.id());
            var counts = start.isAfter(from) ? stats.totals(StatsFilter.tenant(tenant.id()), start, now) : volumes.getOrDefault(tenant.id(), Counts.ZERO);
            var health = health(counts, services.autopilot().thresholdsFor(tenant.id()));
            rows.add(new TenantRow(TenantSummary.of(tenant, poolNames.getOrDefault(tenant.pool(), tenant.pool())), counts.sent(), counts.delivered(),
                    health.bounce(), health.complaint(), alertsByTenant.getOrDefault(tenant.id(), 0)));
        }

        var tenantsByPool = new HashMap<String, Integer>();
        all.values().forEach(tenant -> tenantsByPool.merge(tenant.pool(), 1, Integer::sum));
        var pools = new ArrayList<PoolRow>();
        Page.forEach(services.pools()::list, (Pool pool) -> {
            var counts = stats.totals(StatsFilter.pool(pool.id()), from, now);
            // pools are judged against the configured thresholds, as the autopilot judges them
            var health = health(counts, services.autopilot().defaults());
            pools.add(new PoolRow(pool.id(), pool.name(), pool.tier().name().toLowerCase(Locale.ROOT), pool.addresses().size(),
                    tenantsByPool.getOrDefault(pool.id(), 0), counts.sent(), counts.delivered(), health.bounce(), health.complaint(),
                    services.blocklists().listingsForPool(pool.id())));
        });

        var alerts = openAlerts.stream().limit(FEED_LENGTH).map(alert -> alertRow(alert, all, poolNames)).toList();
        var actions = actions(all, poolNames);
        templates.page(ctx, viewer, "Overview", "overview.jte", new View(rows, page.nextCursor(), stats.minVolume(), pools, alerts,
                Math.max(0, openAlerts.size() - FEED_LENGTH), actions, flash));
    }

    private record Health(Rate bounce, Rate complaint) {}

    /** The bounce and complaint rates of some counts, each with its level against the thresholds. */
    private Health health(Counts counts, Thresholds thresholds) {
        var rates = counts.rates(services.stats().minVolume());
        var verdict = Verdict.of(rates, thresholds);
        return new Health(rate(rates.bounceRate(), verdict.level(Verdict.BOUNCE), thresholds.bounceRate()),
                rate(rates.complaintRate(), verdict.level(Verdict.COMPLAINT), thresholds.complaintRate()));
    }

    private static Rate rate(Double value, Verdict.Level level, Thresholds.Band band) {
        return new Rate(value == null ? "—" : Percent.of(value), level.name().toLowerCase(Locale.ROOT),
                "warning above " + Percent.of(band.warning()) + ", critical above " + Percent.of(band.critical()));
    }

    private static AlertRow alertRow(Alert alert, Map<String, Tenant> tenants, Map<String, String> poolNames) {
        String subject;
        if (alert.tenantId() != null) {
            var tenant = tenants.get(alert.tenantId());
            subject = tenant == null ? alert.tenantId() : tenant.name();
            if (!alert.subjectKind().equals("tenant")) {
                subject += " (" + alert.subjectKind() + " " + alert.subjectId() + ")";
            }
        } else {
            subject = alert.subjectKind() + " " + (alert.subjectKind().equals("pool") ? poolNames.getOrDefault(alert.subjectId(), alert.subjectId())
                    : alert.subjectId());
        }
        return new AlertRow(alert.severity().name().toLowerCase(Locale.ROOT), subject, alert.tenantId(), alert.kind(), alert.message(),
                alert.raisedAt(), TIME.format(alert.raisedAt()));
    }

    /**
     * The latest actions, each with a button while it is still in force: the newest pause or
     * throttle of a tenant still paused or throttled offers Resume, an isolation of a tenant not
     * back in its previous pool offers Move back.
     */
    private List<ActionRow> actions(Map<String, Tenant> tenants, Map<String, String> poolNames) {
        var offered = new HashSet<String>();
        var rows = new ArrayList<ActionRow>();
        for (var action : services.actions().latest(FEED_LENGTH)) {
            var tenant = tenants.get(action.tenantId());
            Undo undo = null;
            if (tenant != null && action.undoneAt() == null) {
                boolean stopped = tenant.status() == TenantStatus.PAUSED || tenant.status() == TenantStatus.THROTTLED;
                if (action.action() != ReputationActions.Kind.ISOLATE && stopped && offered.add("resume " + tenant.id())) {
                    undo = new Undo("Resume", "/tenants/" + tenant.id() + "/resume", null, null);
                } else if (action.action() == ReputationActions.Kind.ISOLATE && action.previousPool() != null
                        && !action.previousPool().equals(tenant.pool()) && tenant.status() != TenantStatus.OFFBOARDED
                        && offered.add("move " + tenant.id())) {
                    undo = new Undo("Move back", "/tenants/" + tenant.id() + "/pool", action.previousPool(),
                            poolNames.getOrDefault(action.previousPool(), action.previousPool()));
                }
            }
            rows.add(new ActionRow(action.tenantId(), tenant == null ? action.tenantId() : tenant.name(), action.action().name().toLowerCase(Locale.ROOT),
                    action.reason(), action.takenAt(), TIME.format(action.takenAt()), action.undoneAt() != null, undo));
        }
        return rows;
    }
}
