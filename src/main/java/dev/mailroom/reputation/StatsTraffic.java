package dev.mailroom.reputation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A domain's traffic for the bulk-sender rules, from the statistics: the last day's messages to
 * each provider's mailboxes (delivered or refused by them; the receiving MX tells the provider,
 * so Google-hosted company domains count as Gmail) and its complaint rate over the same day.
 */
public final class StatsTraffic implements DomainTraffic {
    /** Compliance's provider names (the delivery.providers rules) to the statistics' providers. */
    private static final Map<String, Provider> PROVIDERS = Map.of("gmail", Provider.GMAIL, "outlook", Provider.MICROSOFT, "yahoo", Provider.YAHOO);
    private static final Duration DAY = Duration.ofHours(24);
    private final Stats stats;
    private final Clock clock;

    public StatsTraffic(Stats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public long dailyVolume(String domainId, String provider) {
        var now = clock.instant();
        var counts = stats.totals(new StatsFilter(null, domainId, null, null, PROVIDERS.getOrDefault(provider, Provider.OTHER)), now.minus(DAY), now);
        return counts.delivered() + counts.hardBounced() + counts.failed();
    }

    @Override
    public Double complaintRate(String domainId) {
        var now = clock.instant();
        return stats.totals(new StatsFilter(null, domainId, null, null, null), now.minus(DAY), now).rates(stats.minVolume()).complaintRate();
    }
}
