package dev.mailroom.web;

import dev.mailroom.feedback.dmarc.DmarcReport;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.reputation.Interval;
import dev.mailroom.reputation.Percent;
import dev.mailroom.reputation.Stats;
import dev.mailroom.reputation.StatsFilter;
import dev.mailroom.reputation.TenantHealth;
import dev.mailroom.reputation.Thresholds;
import dev.mailroom.reputation.Verdict;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * {@code /tenants/{id}}: one tenant's overview: its traffic over time (charts drawn by
 * tenant.js from {@code /tenants/{id}/stats.json}, the same numbers in tables beside them),
 * its rates against its thresholds, warm-up, compliance, blocklists, alerts, actions and DMARC
 * reports, all as {@code GET /v1/tenants/{id}/health} and {@code GET /v1/dmarc-reports} give them.
 * Read through the viewer's scope, so another tenant's page is, for a client viewer, exactly
 * as absent as a tenant that does not exist (404).
 */
public final class TenantPage {
    /** How far back each chart reaches. */
    static final Duration HOURLY_SPAN = Duration.ofHours(48);
    static final Duration DAILY_SPAN = Duration.ofDays(30);
    /** The DMARC reports summed up: those whose period ended in the last 30 days. */
    static final Duration DMARC_SPAN = Duration.ofDays(30);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private final TenantLookup tenants;
    private final TenantHealth health;
    private final Stats stats;
    private final DmarcReports dmarcReports;
    private final Clock clock;
    private final Templates templates;

    TenantPage(TenantLookup tenants, TenantHealth health, Stats stats, DmarcReports dmarcReports, Clock clock,
            Templates templates) {
        this.tenants = tenants;
        this.health = health;
        this.stats = stats;
        this.dmarcReports = dmarcReports;
        this.clock = clock;
        this.templates = templates;
    }

    static String path(String tenantId) {
        return "/tenants/" + tenantId;
    }

    /** The page: the header, the two charts' series (also shown as tables), and the health report. */
    public record View(TenantSummary tenant, List<Series> charts, List<RateRow> rates, TenantHealth.Report health, List<DmarcSource> dmarc) {}

    /** The traffic of one bucket, as the chart draws it: bounced is hard and soft together. */
    public record Point(Instant start, long sent, long delivered, long bounced, long complained, long opened, long clicked) {}

    /** A chart's points: {@code interval} hour or day; {@code dataPath} the JSON route tenant.js draws from. */
    public record Series(String interval, String caption, String dataPath, List<Point> points) {}

    /** One rate over one window against the tenant's thresholds; {@code level} ok, warning, critical or unknown (too little mail). */
    public record RateRow(String rate, String window, String value, String warning, String critical, String level) {}

    /** One source address's messages in the DMARC reports of the tenant's domains. */
    public record DmarcSource(String domain, String sourceIp, long reports, long messages, long dmarcPass, long dmarcFail) {}

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}", (ctx, viewer) -> {
            var summary = tenants.find(viewer, ctx.pathParam("id"));
            var scope = Scope.tenant(summary.id());
            var report = health.of(scope, summary.id());
            templates.page(ctx, viewer, summary.name(), "tenant.jte", new View(summary,
                    List.of(series(summary.id(), Interval.HOUR), series(summary.id(), Interval.DAY)), rates(report), report, dmarc(scope)));
        });
        routes.get("/tenants/{id}/stats.json", (ctx, viewer) -> {
            var summary = tenants.find(viewer, ctx.pathParam("id"));
            switch (ctx.queryParamAsClass("interval", String.class).getOrDefault("hour")) {
                case "hour" -> ctx.json(series(summary.id(), Interval.HOUR));
                case "day" -> ctx.json(series(summary.id(), Interval.DAY));
                default -> ctx.status(400).result("interval must be hour or day");
            }
        });
    }

    /** The last 48 hours by hour, or the last 30 days by day, the current bucket included. */
    private Series series(String tenantId, Interval interval) {
        var now = clock.instant();
        var hourly = interval == Interval.HOUR;
        var from = now.minus(hourly ? HOURLY_SPAN : DAILY_SPAN);
        var points = stats.series(StatsFilter.tenant(tenantId), from, interval.ceil(now.plusNanos(1)), interval).stream()
                .map(p -> new Point(p.start(), p.counts().sent(), p.counts().delivered(), p.counts().hardBounced() + p.counts().softBounced(),
                        p.counts().complained(), p.counts().opened(), p.counts().clicked()))
                .toList();
        return new Series(interval.wireName(), hourly ? "Last 48 hours, by hour (UTC)" : "Last 30 days, by day (UTC)",
                path(tenantId) + "/stats.json?interval=" + interval.wireName(), points);
    }

    /** A bucket's start as its row names it: "2026-11-24 08:00" by hour, "2026-11-24" by day (UTC). */
    public static String bucket(Instant start, String interval) {
        return (interval.equals("hour") ? HOUR : DAY).format(start);
    }

    /** A moment as the page shows it, to the minute in UTC. */
    public static String when(Instant at) {
        return HOUR.format(at) + " UTC";
    }

    /** An enum's value as the API writes it. */
    public static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Bounce, complaint and delivery rate over each window of the report, judged as the autopilot judges them. */
    static List<RateRow> rates(TenantHealth.Report report) {
        var thresholds = Thresholds.DEFAULTS.with(report.thresholds());
        var rows = new ArrayList<RateRow>();
        for (var rate : List.of(Verdict.BOUNCE, Verdict.COMPLAINT, Verdict.DELIVERY)) {
            var warning = report.thresholds().get(rate + ".warning");
            var critical = report.thresholds().get(rate + ".critical");
            report.rates().forEach((window, counts) -> {
                var value = switch (rate) {
                    case Verdict.BOUNCE -> counts.rates().bounceRate();
                    case Verdict.COMPLAINT -> counts.rates().complaintRate();
                    default -> counts.rates().deliveryRate();
                };
                var level = Verdict.of(counts.rates(), thresholds).level(rate);
                rows.add(new RateRow(rate.replace('_', ' '), window, value == null ? "too little mail" : Percent.of(value),
                        Percent.of(warning), Percent.of(critical), word(level)));
            });
        }
        return rows;
    }

    /** Each source address of the tenant's recent DMARC reports, summed over those reports, per domain name. */
    private List<DmarcSource> dmarc(Scope scope) {
        var since = clock.instant().minus(DMARC_SPAN);
        var bySource = new LinkedHashMap<String, DmarcSource>();
        Page.forEach((after, limit) -> dmarcReports.list(scope, null, since, after, limit), (DmarcReport report) -> {
            for (var source : report.sources()) {
                bySource.merge(report.domain() + " " + source.sourceIp(),
                        new DmarcSource(report.domain(), source.sourceIp(), 1, source.count(), source.dmarcPass(), source.dmarcFail()),
                        (a, b) -> new DmarcSource(a.domain(), a.sourceIp(), a.reports() + 1, a.messages() + b.messages(),
                                a.dmarcPass() + b.dmarcPass(), a.dmarcFail() + b.dmarcFail()));
            }
        });
        return bySource.values().stream()
                .sorted(java.util.Comparator.comparing(DmarcSource::domain).thenComparing(DmarcSource::messages, java.util.Comparator.reverseOrder()))
                .toList();
    }
}
