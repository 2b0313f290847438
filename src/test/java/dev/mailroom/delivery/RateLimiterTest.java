package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.JedisPooled;

/** The two rate limiters keep the same contract; Redis runs against MAILROOM_TEST_REDIS_URL (CI starts one). */
class RateLimiterTest {
    private static RateLimiter limiter(String kind) {
        if (kind.equals("local")) {
            return new LocalRateLimiter(Clock.systemUTC());
        }
        var url = System.getenv("MAILROOM_TEST_REDIS_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(), "MAILROOM_TEST_REDIS_URL is not set: Redis runs skipped (CI sets it; see .ci/run)");
        return new RedisRateLimiter(new JedisPooled(URI.create(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void aBurstOfTheRatePassesThenOnePerInterval(String kind) throws Exception {
        var limiter = limiter(kind);
        var key = "site:" + UUID.randomUUID();
        var rate = new Rate(5, Duration.ofMillis(500));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryTake(key, rate)).as("event %d of the burst", i).isZero();
        }
        var wait = limiter.tryTake(key, rate);
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
        Thread.sleep(wait.toMillis() + 5);
        assertThat(limiter.tryTake(key, rate)).isZero();
        assertThat(limiter.tryTake(key, rate)).isPositive();
        assertThat(limiter.tryTake("other:" + key, rate)).as("keys are apart").isZero();
    }

    @Test
    void theLocalLimiterFollowsItsClockExactly() {
        var now = new Instant[] {Instant.parse("2026-11-24T10:00:00Z")};
        var clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        var limiter = new LocalRateLimiter(clock);
        var perSecond = new Rate(2, Duration.ofSeconds(1));
        assertThat(limiter.tryTake("k", perSecond)).isZero();
        assertThat(limiter.tryTake("k", perSecond)).isZero();
        assertThat(limiter.tryTake("k", perSecond)).isEqualTo(Duration.ofMillis(500));
        now[0] = now[0].plusMillis(500);
        assertThat(limiter.tryTake("k", perSecond)).isZero();
        assertThat(limiter.tryTake("k", perSecond)).isEqualTo(Duration.ofMillis(500));
        now[0] = now[0].plusSeconds(10);
        assertThat(limiter.tryTake("k", perSecond)).as("an idle key recovers its whole burst, no more").isZero();
        assertThat(limiter.tryTake("k", perSecond)).isZero();
        assertThat(limiter.tryTake("k", perSecond)).isPositive();
        var perHour = new Rate(3600, Duration.ofHours(1));
        for (int i = 0; i < 3600; i++) {
            assertThat(limiter.tryTake("h", perHour)).isZero();
        }
        assertThat(limiter.tryTake("h", perHour)).isEqualTo(Duration.ofSeconds(1));
    }
}
