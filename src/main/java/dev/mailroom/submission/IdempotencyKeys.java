package dev.mailroom.submission;

import dev.mailroom.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Remembers the answer to each request sent with an {@code Idempotency-Key}, per API key, for
 * 24 hours: the same key with the same request gets the same answer without sending again; the
 * same key with another request is a conflict. The key is claimed before the work starts, so two
 * concurrent retries cannot both send.
 */
public final class IdempotencyKeys {
    public static final Duration LIFETIME = Duration.ofHours(24);
    /** A claim whose request has not finished after this long is taken to be abandoned (its process died). */
    static final Duration LEASE = Duration.ofMinutes(5);
    private final Jdbi jdbi;
    private final Clock clock;

    public IdempotencyKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** What a claim found. */
    public sealed interface Claim {
        /** The key is new (or expired): do the work, then {@link #complete} or {@link #release}. */
        record Fresh() implements Claim {}

        /** The same request was answered before: give this answer again. */
        record Replay(int status, String body) implements Claim {}

        /** The key was used for a different request, or its first request is still running. */
        record Conflict(String detail) implements Claim {}
    }

    public Claim claim(String apiKeyId, String key, String requestHash) {
        var now = clock.instant();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash, created_at) "
                                + "VALUES (:api, :key, :hash, :created)")
                        .bind("api", apiKeyId).bind("key", key).bind("hash", requestHash).bind("created", Rows.timestamp(now)).execute());
                return new Claim.Fresh();
            } catch (UnableToExecuteStatementException e) {
                var existing = jdbi.withHandle(h -> h.createQuery("SELECT request_hash, status_code, response, created_at FROM idempotency_keys "
                                + "WHERE api_key_id = :api AND idempotency_key = :key")
                        .bind("api", apiKeyId).bind("key", key)
                        .map((rs, ctx) -> new Stored(rs.getString("request_hash"), (Integer) rs.getObject("status_code"),
                                rs.getString("response"), Rows.instant(rs, "created_at")))
                        .findOne());
                if (existing.isEmpty()) {
                    continue; // released meanwhile: claim again
                }
                var stored = existing.get();
                boolean abandoned = stored.status() == null && !stored.createdAt().isAfter(now.minus(LEASE));
                if (abandoned || !stored.createdAt().isAfter(now.minus(LIFETIME))) {
                    remove(apiKeyId, key, stored.createdAt());
                    continue;
                }
                if (!stored.hash().equals(requestHash)) {
                    return new Claim.Conflict("Idempotency-Key '" + key + "' was used for a different request in the last 24 hours");
                }
                if (stored.status() == null) {
                    return new Claim.Conflict("a request with Idempotency-Key '" + key + "' is still being processed; retry shortly");
                }
                return new Claim.Replay(stored.status(), stored.response());
            }
        }
        return new Claim.Conflict("Idempotency-Key '" + key + "' is being claimed by another request; retry shortly");
    }

    private record Stored(String hash, Integer status, String response, Instant createdAt) {}

    /** Keeps the answer for replays. */
    public void complete(String apiKeyId, String key, int status, String response) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE idempotency_keys SET status_code = :status, response = :response "
                        + "WHERE api_key_id = :api AND idempotency_key = :key")
                .bind("status", status).bind("response", response).bind("api", apiKeyId).bind("key", key).execute());
    }

    /** Forgets a claim whose request failed on the server's side, so a retry can do the work. */
    public void release(String apiKeyId, String key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE api_key_id = :api AND idempotency_key = :key AND status_code IS NULL")
                .bind("api", apiKeyId).bind("key", key).execute());
    }

    /** Drops answers older than 24 hours; returns how many. */
    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE created_at <= :cutoff")
                .bind("cutoff", Rows.timestamp(clock.instant().minus(LIFETIME))).execute());
    }

    private void remove(String apiKeyId, String key, Instant createdAt) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE api_key_id = :api AND idempotency_key = :key AND created_at = :created")
                .bind("api", apiKeyId).bind("key", key).bind("created", Rows.timestamp(createdAt)).execute());
    }
}
