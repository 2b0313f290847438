package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final Instant QUEUED = Instant.parse("2025-03-01T10:00:00Z");

    /** A random source that always draws the same point of [0, 1): 0.5 is no jitter at all. */
    private static RandomGenerator fixed(double unit) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return unit;
            }
        };
    }

    @Test
    void doublesFromFiveMinutesUpToFourHours() {
        var schedule = RetrySchedule.defaults(fixed(0.5));
        var waits = new ArrayList<Duration>();
        for (int failed = 1; failed <= 9; failed++) {
            waits.add(schedule.baseDelay(failed));
        }
        assertThat(waits).extracting(Duration::toMinutes).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 240L, 240L, 240L);
        assertThat(schedule.next(1, QUEUED, QUEUED.plusSeconds(30))).contains(QUEUED.plusSeconds(30).plus(Duration.ofMinutes(5)));
    }

    @Test
    void neverShrinksAndStaysCappedHoweverOftenItFails() {
        var schedule = new RetrySchedule(Duration.ofSeconds(7), Duration.ofHours(3), Duration.ofDays(30), fixed(0.5));
        var previous = Duration.ZERO;
        for (int failed = 1; failed <= 200; failed++) {
            var wait = schedule.baseDelay(failed);
            assertThat(wait).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(Duration.ofHours(3));
            previous = wait;
        }
        assertThat(schedule.baseDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void spreadsEachWaitByTenPercentAtMost() {
        assertThat(RetrySchedule.defaults(fixed(0.0)).next(2, QUEUED, QUEUED)).contains(QUEUED.plus(Duration.ofMinutes(9)));
        assertThat(RetrySchedule.defaults(fixed(Math.nextDown(1.0))).next(2, QUEUED, QUEUED)).contains(QUEUED.plus(Duration.ofMinutes(11)));

        var schedule = RetrySchedule.defaults(new SplittableRandom(42));
        var seen = new HashSet<Instant>();
        for (int i = 0; i < 1_000; i++) {
            var next = schedule.next(8, QUEUED, QUEUED).orElseThrow();
            assertThat(next).isBetween(QUEUED.plus(Duration.ofMinutes(216)), QUEUED.plus(Duration.ofMinutes(264)));
            seen.add(next);
        }
        assertThat(seen).as("jittered waits differ").hasSizeGreaterThan(100);
    }

    @Test
    void givesUpWhenTheNextAttemptWouldPassFiveDays() {
        var schedule = RetrySchedule.defaults(fixed(0.5));
        var attempts = new ArrayList<Instant>();
        attempts.add(QUEUED);
        var next = schedule.next(1, QUEUED, QUEUED);
        while (next.isPresent()) {
            attempts.add(next.get());
            next = schedule.next(attempts.size(), QUEUED, next.get());
        }
        // 5+10+20+40+80+160 minutes, then 28 waits of 4 hours: 117h15m; a 29th would reach 121h15m
        assertThat(attempts).hasSize(1 + 6 + 28);
        assertThat(attempts.getLast()).isEqualTo(QUEUED.plus(Duration.ofHours(117).plusMinutes(15)));
        // the limit itself is still allowed
        assertThat(schedule.next(30, QUEUED, QUEUED.plus(Duration.ofDays(5)).minus(Duration.ofHours(4)))).contains(QUEUED.plus(Duration.ofDays(5)));
        assertThat(schedule.next(30, QUEUED, QUEUED.plus(Duration.ofDays(5)).minus(Duration.ofHours(4)).plusMillis(1))).isEmpty();
    }

    @Test
    void followsItsConfiguration() {
        var schedule = new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1), fixed(0.5));
        assertThat(schedule.baseDelay(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(schedule.baseDelay(5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(schedule.next(5, QUEUED, QUEUED.plus(Duration.ofMinutes(50)))).contains(QUEUED.plus(Duration.ofHours(1)));
        assertThat(schedule.next(5, QUEUED, QUEUED.plus(Duration.ofMinutes(51)))).isEmpty();
    }

    @Test
    void refusesASenselessConfiguration() {
        var random = fixed(0.5);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofHours(4), Duration.ofDays(5), random))
                .hasMessageContaining("first retry delay must be positive");
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofHours(5), Duration.ofHours(4), Duration.ofDays(5), random))
                .hasMessageContaining("shorter than the first");
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(4), Duration.ofDays(-1), random))
                .hasMessageContaining("maximum message age must be positive");
        assertThatThrownBy(() -> RetrySchedule.defaults(random).baseDelay(0)).hasMessageContaining("at least one failed attempt");
    }
}
