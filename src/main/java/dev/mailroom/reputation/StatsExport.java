package dev.mailroom.reputation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.tenancy.ExportPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A tenant's statistics for its export zip: daily counts as CSV, and the same with totals and rates as JSON. */
public final class StatsExport {
    /** As far back as day buckets are worth reading for one tenant (about 13 months). */
    private static final Duration HISTORY = Duration.ofDays(400);
    private final Stats stats;
    private final Clock clock;

    public StatsExport(Stats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    public List<ExportPart> parts(ObjectMapper json) {
        return List.of(
                ExportPart.text("stats.csv", "daily counts (UTC days): day and one column per metric, as GET /v1/stats?interval=day",
                        (tenantId, print) -> {
                            print.accept(Stream.concat(Stream.of("day"), Stream.of(Metric.values()).map(Metric::wireName))
                                    .collect(Collectors.joining(",")) + "\r\n");
                            for (var point : daily(tenantId)) {
                                print.accept(Stream.concat(Stream.of(point.start().toString().substring(0, 10)),
                                        Stream.of(Metric.values()).map(metric -> Long.toString(point.counts().get(metric))))
                                        .collect(Collectors.joining(",")) + "\r\n");
                            }
                        }),
                ExportPart.text("stats.json", "the daily counts with their totals and rates over the whole period (JSON)", (tenantId, print) -> {
                    var points = daily(tenantId);
                    var total = points.stream().map(Stats.Point::counts).reduce(Counts.ZERO, Counts::plus);
                    var document = new LinkedHashMap<String, Object>();
                    document.put("tenant_id", tenantId);
                    document.put("interval", "day");
                    document.put("data", points.stream().map(point -> row(point.start(), point.counts())).toList());
                    var totals = row(null, total);
                    totals.put("rates", total.rates(stats.minVolume()));
                    document.put("totals", totals);
                    try {
                        print.accept(json.writeValueAsString(document));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
    }

    private List<Stats.Point> daily(String tenantId) {
        var now = clock.instant();
        var from = now.minus(HISTORY);
        var horizon = stats.horizon(Interval.DAY);
        return stats.series(StatsFilter.tenant(tenantId), horizon.isAfter(from) ? horizon : from, now, Interval.DAY);
    }

    private static Map<String, Object> row(Instant start, Counts counts) {
        var row = new LinkedHashMap<String, Object>();
        if (start != null) {
            row.put("start", start.toString());
        }
        counts.asMap().forEach((metric, value) -> row.put(metric.wireName(), value));
        return row;
    }
}
