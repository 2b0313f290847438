package dev.mailroom.delivery;

import java.time.Duration;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/**
 * {@link RateLimiter} in Redis, shared by every node: the same algorithm as
 * {@link LocalRateLimiter}, run atomically in a Lua script on Redis's own clock, so that nodes
 * with skewed clocks still share one limit. Keys expire once their limit has fully recovered.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final String PREFIX = "mailroom:rate:";
    /** KEYS[1] the key; ARGV[1] interval, ARGV[2] tolerance (microseconds). Returns the wait in microseconds (0: taken). */
    private static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local tolerance = tonumber(ARGV[2])
            local arrival = tonumber(redis.call('GET', KEYS[1]) or now)
            local due = math.max(arrival, now)
            if due - now > tolerance then
              return due - tolerance - now
            end
            local next = due + interval
            redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000) + 1)
            return 0
            """;
    private final JedisPooled redis;

    public RedisRateLimiter(JedisPooled redis) {
        this.redis = redis;
    }

    @Override
    public Duration tryTake(String key, Rate rate) {
        long interval = rate.intervalMicros();
        long tolerance = interval * (rate.count() - 1);
        var wait = (Long) redis.eval(SCRIPT, List.of(PREFIX + key), List.of(Long.toString(interval), Long.toString(tolerance)));
        return Duration.ofNanos(wait * 1000);
    }
}
