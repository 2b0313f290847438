package dev.mailroom.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookScheduleTest {
    private static final Instant QUEUED = Instant.parse("2026-11-24T10:00:00Z");

    /** Attempt times when every attempt fails at once: the first at queueing, then each retry as the schedule says. */
    private static List<Instant> attempts(WebhookSchedule schedule) {
        var times = new ArrayList<Instant>();
        var at = QUEUED;
        while (at != null) {
            times.add(at);
            at = schedule.next(QUEUED, at).orElse(null);
        }
        return times;
    }

    @Test
    void theStandardScheduleRetriesForMoreThanADayInEightAttempts() {
        for (var random : List.of(new Random(1), new Random(2), new Random(3))) {
            var times = attempts(new WebhookSchedule(WebhookSchedule.STANDARD, random));
            assertThat(times).hasSize(8);
            assertThat(Duration.between(QUEUED, times.getLast())).isGreaterThan(Duration.ofHours(26));
            assertThat(times.get(1)).isBetween(QUEUED.plusMillis(4500), QUEUED.plusMillis(5500));
        }
    }

    @Test
    void retriesKeepTheirTimesFromQueueingSoLateAttemptsDoNotStretchTheSchedule() {
        var schedule = new WebhookSchedule(List.of(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10)), new Random(7));
        // the first attempt was made 25 minutes late (Mailroom was down): the retries at 10 and 20 minutes are gone
        var next = schedule.next(QUEUED, QUEUED.plus(Duration.ofMinutes(25))).orElseThrow();
        assertThat(next).isBetween(QUEUED.plus(Duration.ofMinutes(29)), QUEUED.plus(Duration.ofMinutes(31)));
        assertThat(schedule.next(QUEUED, QUEUED.plus(Duration.ofMinutes(32)))).isEmpty();
    }

    @Test
    void anAttemptMadeEarlyByItsJitterIsThatRetryNotTheOneBefore() {
        var schedule = new WebhookSchedule(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), new Random(3));
        var next = schedule.next(QUEUED, QUEUED.plusMillis(9_500)).orElseThrow();
        assertThat(next).isBetween(QUEUED.plusSeconds(19), QUEUED.plusSeconds(21));
        assertThat(schedule.next(QUEUED, next)).isEmpty();
    }
}
