package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.JedisPooled;

/** The two connection limiters keep the same contract; Redis runs against MAILROOM_TEST_REDIS_URL (CI starts one). */
class ConnectionLimiterTest {
    private static ConnectionLimiter limiter(String kind) {
        if (kind.equals("local")) {
            return new LocalConnectionLimiter();
        }
        var url = System.getenv("MAILROOM_TEST_REDIS_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(), "MAILROOM_TEST_REDIS_URL is not set: Redis runs skipped (CI sets it; see .ci/run)");
        return new RedisConnectionLimiter(new JedisPooled(URI.create(url)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "redis"})
    void leasesAreCappedPerKeyAndComeBackWhenClosed(String kind) {
        var limiter = limiter(kind);
        var key = "site:" + UUID.randomUUID();
        var first = limiter.tryAcquire(key, 2).orElseThrow();
        var second = limiter.tryAcquire(key, 2).orElseThrow();
        assertThat(limiter.tryAcquire(key, 2)).as("the cap is 2").isEmpty();
        assertThat(limiter.tryAcquire("other:" + key, 2)).as("keys are apart").isPresent();
        second.renew();
        first.close();
        first.close(); // twice gives back one place only
        var third = limiter.tryAcquire(key, 2).orElseThrow();
        assertThat(limiter.tryAcquire(key, 2)).isEmpty();
        second.close();
        third.close();
        assertThat(limiter.tryAcquire(key, 1)).isPresent();
    }
}
