package dev.mailroom.api;

import com.google.common.net.InetAddresses;
import dev.mailroom.reputation.Counts;
import dev.mailroom.reputation.Interval;
import dev.mailroom.reputation.Provider;
import dev.mailroom.reputation.Stats;
import dev.mailroom.reputation.StatsFilter;
import dev.mailroom.tenancy.DomainService;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.Permission;
import dev.mailroom.tenancy.TenantService;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code GET /v1/stats} (counts and rates over time) and {@code GET /v1/usage} (a month's counts per tenant, for billing). */
final class StatsRoutes {
    private final Stats stats;
    private final TenantService tenants;
    private final DomainService domains;
    private final Clock clock;

    StatsRoutes(Stats stats, TenantService tenants, DomainService domains, Clock clock) {
        this.stats = stats;
        this.tenants = tenants;
        this.domains = domains;
        this.clock = clock;
    }

    void register(RouteTable routes) {
        routes.get("/v1/stats", this::stats);
        routes.get("/v1/usage", this::usage);
    }

    /** How far back a request reaches when it gives no {@code from}, and at most, by interval. */
    private static Duration defaultSpan(Interval interval) {
        return switch (interval) {
            case MINUTE -> Duration.ofHours(1);
            case HOUR -> Duration.ofHours(24);
            case DAY -> Duration.ofDays(7);
        };
    }

    private static Duration maxSpan(Interval interval) {
        return switch (interval) {
            case MINUTE -> Duration.ofHours(48);
            case HOUR -> Duration.ofDays(31);
            case DAY -> Duration.ofDays(400);
        };
    }

    private void stats(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        if (ctx.queryParam("tenant_id") != null) {
            tenants.get(scope, scope.tenantId());
        }
        var domainId = ctx.queryParam("domain_id");
        if (domainId != null) {
            domains.get(scope, domainId); // not found beyond the caller's tenants
        }
        var errors = new ArrayList<FieldError>();
        var interval = choice(ctx, "interval", Interval.HOUR, Interval::fromWireName, Interval.values(), errors);
        var provider = choice(ctx, "provider", null, Provider::fromWireName, Provider.values(), errors);
        var sourceIp = ctx.queryParam("source_ip");
        if (sourceIp != null && !InetAddresses.isInetAddress(sourceIp)) {
            errors.add(new FieldError("source_ip", "must be an IPv4 or IPv6 address"));
        }
        var to = time(ctx, "to", clock.instant(), errors);
        var from = time(ctx, "from", to.minus(defaultSpan(interval)), errors);
        if (errors.isEmpty()) {
            if (!from.isBefore(to)) {
                errors.add(new FieldError("from", "must be before to"));
            } else if (Duration.between(from, to).compareTo(maxSpan(interval)) > 0) {
                var most = maxSpan(interval);
                errors.add(new FieldError("from", "a " + interval.wireName() + " series spans at most "
                        + (most.toDays() > 2 ? most.toDays() + " days" : most.toHours() + " hours") + "; ask for a larger interval"));
            } else if (interval.floor(from).isBefore(stats.horizon(interval))) {
                errors.add(new FieldError("from", interval.wireName() + " buckets are kept from " + stats.horizon(interval)
                        + " on; ask for a larger interval"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        var filter = new StatsFilter(scope.tenantId(), domainId, ctx.queryParam("pool_id"),
                sourceIp == null ? null : InetAddresses.toAddrString(InetAddresses.forString(sourceIp)), provider);
        var start = interval.floor(from);
        var points = stats.series(filter, start, to, interval);
        var data = new ArrayList<Map<String, Object>>();
        var totals = Counts.ZERO;
        for (var point : points) {
            var row = new LinkedHashMap<String, Object>();
            row.put("start", point.start());
            row.putAll(fields(point.counts()));
            data.add(row);
            totals = totals.plus(point.counts());
        }
        var summary = fields(totals);
        var rates = totals.rates(stats.minVolume());
        summary.put("bounce_rate", rates.bounceRate());
        summary.put("hard_bounce_rate", rates.hardBounceRate());
        summary.put("complaint_rate", rates.complaintRate());
        summary.put("delivery_rate", rates.deliveryRate());
        var body = new LinkedHashMap<String, Object>();
        body.put("interval", interval.wireName());
        body.put("from", start);
        body.put("to", to);
        body.put("data", data);
        body.put("totals", summary);
        ctx.json(body);
    }

    private void usage(Context ctx) {
        var key = Callers.requireUnrestricted(ctx, Permission.READ);
        var scope = key.scope().narrowTo(ctx.queryParam("tenant_id"));
        if (ctx.queryParam("tenant_id") != null) {
            tenants.get(scope, scope.tenantId());
        }
        var text = ctx.queryParam("month");
        YearMonth month;
        try {
            month = text == null ? YearMonth.now(clock) : YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new ValidationException("month", "must be a month such as 2026-03, got '" + text + "'");
        }
        var data = stats.usage(scope.tenantId(), month).stream().map(usage -> {
            var row = new LinkedHashMap<String, Object>();
            row.put("tenant_id", usage.tenantId());
            row.putAll(fields(usage.counts()));
            return row;
        }).toList();
        ctx.json(Map.of("month", month.toString(), "data", data));
    }

    private static LinkedHashMap<String, Object> fields(Counts counts) {
        var fields = new LinkedHashMap<String, Object>();
        counts.asMap().forEach((metric, count) -> fields.put(metric.wireName(), count));
        return fields;
    }

    private static Instant time(Context ctx, String name, Instant otherwise, List<FieldError> errors) {
        var text = ctx.queryParam(name);
        if (text == null) {
            return otherwise;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an RFC 3339 time such as 2026-03-10T09:30:00Z"));
            return otherwise;
        }
    }

    private static <T extends Enum<T>> T choice(Context ctx, String name, T otherwise, java.util.function.Function<String, T> parse, T[] values,
            List<FieldError> errors) {
        var text = ctx.queryParam(name);
        if (text == null) {
            return otherwise;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(name, "must be one of " + Arrays.stream(values).map(Json::wireName).collect(Collectors.joining(", "))));
            return otherwise;
        }
    }
}
