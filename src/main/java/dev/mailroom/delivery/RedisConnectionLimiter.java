package dev.mailroom.delivery;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.JedisPooled;

/**
 * {@link ConnectionLimiter} in Redis, shared by every node: a sorted set per key holding each lease
 * with its expiry time (on Redis's clock). Taking a lease drops expired ones first, so the places
 * of a node that died come free after {@link ConnectionLimiter#LEASE_LIFETIME}.
 */
public final class RedisConnectionLimiter implements ConnectionLimiter {
    private static final String PREFIX = "mailroom:conn:";
    /** KEYS[1] the set; ARGV[1] lease id, ARGV[2] max, ARGV[3] lifetime (ms). Returns 1 when taken. */
    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
            return 1
            """;
    /** KEYS[1] the set; ARGV[1] lease id, ARGV[2] lifetime (ms). Renews only a lease still held. */
    private static final String RENEW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
              redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
            end
            return 0
            """;
    private final JedisPooled redis;

    public RedisConnectionLimiter(JedisPooled redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, int max) {
        var set = PREFIX + key;
        var id = UUID.randomUUID().toString();
        var lifetime = Long.toString(LEASE_LIFETIME.toMillis());
        if ((Long) redis.eval(ACQUIRE, List.of(set), List.of(id, Integer.toString(max), lifetime)) == 0) {
            return Optional.empty();
        }
        var open = new AtomicBoolean(true);
        return Optional.of(new Lease() {
            @Override
            public void renew() {
                redis.eval(RENEW, List.of(set), List.of(id, lifetime));
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    redis.zrem(set, id);
                }
            }
        });
    }
}
