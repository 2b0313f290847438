package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rates of counts, and the parts a window is read in. */
class CountsTest {
    @Test
    void ratesFollowTheirDefinitions() {
        var counts = Counts.of(Map.of(Metric.SENT, 1000L, Metric.DELIVERED, 900L, Metric.HARD_BOUNCED, 30L, Metric.SOFT_BOUNCED, 20L,
                Metric.FAILED, 70L, Metric.COMPLAINED, 9L));
        var rates = counts.rates(100);
        assertThat(rates.bounceRate()).isEqualTo(0.05);
        assertThat(rates.hardBounceRate()).isEqualTo(0.03);
        assertThat(rates.complaintRate()).isEqualTo(0.01);
        assertThat(rates.deliveryRate()).isEqualTo(0.9);
    }

    @Test
    void aRateWhoseDenominatorIsBelowTheMinimumVolumeIsNull() {
        // 150 sent, but only 99 delivered: bounce rates hold, the complaint rate does not yet
        var counts = Counts.of(Map.of(Metric.SENT, 150L, Metric.DELIVERED, 99L, Metric.HARD_BOUNCED, 1L, Metric.COMPLAINED, 1L));
        var rates = counts.rates(100);
        assertThat(rates.bounceRate()).isNotNull();
        assertThat(rates.complaintRate()).isNull();
        assertThat(rates.deliveryRate()).isEqualTo(0.99);
        assertThat(Counts.ZERO.rates(0)).isEqualTo(new Rates(null, null, null, null));
        assertThat(counts.plus(counts).rates(100).complaintRate()).isEqualTo(2.0 / 198);
    }

    @Test
    void aWindowIsReadInDaysHoursAndMinutes() {
        var now = Instant.parse("2026-03-10T01:10:30Z");
        assertThat(Stats.parts(Instant.parse("2026-03-08T22:30:15Z"), now, now)).containsExactly(
                part(Interval.MINUTE, "2026-03-08T22:30:00Z", "2026-03-08T23:00:00Z"),
                part(Interval.HOUR, "2026-03-08T23:00:00Z", "2026-03-09T00:00:00Z"),
                part(Interval.DAY, "2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z"),
                part(Interval.HOUR, "2026-03-10T00:00:00Z", "2026-03-10T01:00:00Z"),
                part(Interval.MINUTE, "2026-03-10T01:00:00Z", "2026-03-10T01:11:00Z"));
        assertThat(Stats.parts(Instant.parse("2026-03-10T00:05:00Z"), Instant.parse("2026-03-10T00:50:00Z"), now))
                .containsExactly(part(Interval.MINUTE, "2026-03-10T00:05:00Z", "2026-03-10T00:50:00Z"));
    }

    @Test
    void anEdgeWhoseSmallBucketsAreGoneIsWidened() {
        var now = Instant.parse("2026-03-10T01:10:30Z");
        // three days back: no minutes any more, so the first edge is read to the hour
        assertThat(Stats.parts(Instant.parse("2026-03-07T10:20:00Z"), Instant.parse("2026-03-07T11:40:00Z"), now)).containsExactly(
                part(Interval.HOUR, "2026-03-07T10:00:00Z", "2026-03-07T12:00:00Z"));
        // two years back: only days
        assertThat(Stats.parts(Instant.parse("2024-03-07T10:20:00Z"), Instant.parse("2024-03-09T11:40:00Z"), now)).containsExactly(
                part(Interval.DAY, "2024-03-07T00:00:00Z", "2024-03-10T00:00:00Z"));
    }

    private static Stats.Part part(Interval interval, String from, String to) {
        return new Stats.Part(interval, Instant.parse(from), Instant.parse(to));
    }
}
