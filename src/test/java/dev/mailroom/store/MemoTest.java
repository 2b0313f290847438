package dev.mailroom.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoTest {
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    @Test
    void holdsAValueForItsLifetimeUntilForgotten() {
        var memo = new Memo<String, Integer>(clock, Duration.ofSeconds(5), 100);
        var loads = new AtomicInteger();
        assertThat(memo.get("a", k -> loads.incrementAndGet())).isEqualTo(1);
        assertThat(memo.get("a", k -> loads.incrementAndGet())).isEqualTo(1);
        now = now.plusSeconds(5);
        assertThat(memo.get("a", k -> loads.incrementAndGet())).as("expired").isEqualTo(2);
        memo.forget("a");
        assertThat(memo.get("a", k -> loads.incrementAndGet())).isEqualTo(3);
        memo.forget();
        assertThat(memo.get("a", k -> loads.incrementAndGet())).isEqualTo(4);
    }

    @Test
    void aReadOverlappingAChangeIsNotKeptNorIsNothing() {
        var memo = new Memo<String, String>(clock, Duration.ofSeconds(5), 100);
        assertThat(memo.get("a", k -> {
            memo.forget(); // a change lands while the value is read
            return "stale";
        })).isEqualTo("stale");
        assertThat(memo.get("a", k -> "fresh")).isEqualTo("fresh");
        assertThat(memo.get("b", k -> null)).isNull();
        assertThat(memo.get("b", k -> "found")).as("null is not held").isEqualTo("found");
    }

    @Test
    void startsAgainWhenFull() {
        var memo = new Memo<Integer, Integer>(clock, Duration.ofMinutes(1), 3);
        var loads = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            memo.get(i, k -> loads.incrementAndGet());
        }
        memo.get(0, k -> loads.incrementAndGet());
        assertThat(loads.get()).as("0 was dropped when the memo filled").isEqualTo(5);
    }
}
