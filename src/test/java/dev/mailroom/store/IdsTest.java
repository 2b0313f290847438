package dev.mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsArePrefixedUniqueAndSortByTime() {
        var early = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).next("tnt");
        var late = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC)).next("tnt");
        assertThat(early).matches("tnt_[0-9a-hjkmnp-tv-z]{26}");
        assertThat(early).isLessThan(late);
        var ids = new Ids(Clock.systemUTC());
        var seen = new HashSet<String>();
        var previous = "";
        for (int i = 0; i < 10_000; i++) {
            var id = ids.next("x");
            assertThat(seen.add(id)).isTrue();
            assertThat(id).as("made in order, sorted in order, even within a millisecond").isGreaterThan(previous);
            previous = id;
        }
        var frozen = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        var first = frozen.next("t");
        assertThat(frozen.next("t")).isGreaterThan(first);
    }

    @Test
    void firstIdOfAMillisecondBoundsTheIdsMadeBeforeAndAfter() {
        var at = Instant.parse("2026-01-01T00:00:00.005Z");
        var bound = Ids.first("evt", at);
        var before = new Ids(Clock.fixed(at.minusMillis(1), ZoneOffset.UTC)).next("evt");
        var same = new Ids(Clock.fixed(at, ZoneOffset.UTC)).next("evt");
        assertThat(bound).matches("evt_[0-9a-hjkmnp-tv-z]{26}");
        assertThat(before).isLessThan(bound);
        assertThat(same).isGreaterThanOrEqualTo(bound);
        assertThat(same.substring(0, 14)).isEqualTo(bound.substring(0, 14));
    }
}
