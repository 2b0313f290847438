package dev.mailroom.reputation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.delivery.Rate;
import dev.mailroom.store.Rows;
import java.time.Instant;
import java.util.Map;
import dev.mailroom.store.Constraints;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** What the reputation engine keeps per tenant beside the tenant's record. */
public final class ReputationSettings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbi jdbi;

    /**
     * @param overrides thresholds set for this tenant (names as {@link Thresholds#asMap})
     * @param countsFrom rates count mail from this time on (null: the whole window)
     * @param throttledRate the rate a throttle gave the tenant (null: none recorded)
     */
    public record Of(Map<String, Double> overrides, Instant countsFrom, Rate throttledRate) {
        static final Of NONE = new Of(Map.of(), null, null);
    }

    public ReputationSettings(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Of of(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT thresholds, counts_from, throttled_rate FROM reputation_settings WHERE tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new Of(rs.getString("thresholds") == null ? Map.of() : fromJson(rs.getString("thresholds")),
                        Rows.instant(rs, "counts_from"), rs.getString("throttled_rate") == null ? null : Rate.parse(rs.getString("throttled_rate"))))
                .findOne().orElse(Of.NONE));
    }

    public void setOverrides(String tenantId, Map<String, Double> overrides) {
        upsert(tenantId, "thresholds", overrides.isEmpty() ? null : toJson(overrides));
    }

    public void setCountsFrom(String tenantId, Instant from) {
        upsert(tenantId, "counts_from", Rows.timestamp(from));
    }

    public void setThrottledRate(String tenantId, Rate rate) {
        upsert(tenantId, "throttled_rate", rate.toString());
    }

    /** Sets one column of the tenant's row, making the row if need be; of two nodes making it at once, the loser updates. */
    private void upsert(String tenantId, String column, Object value) {
        var type = value == null ? String.class : value.getClass();
        var update = "UPDATE reputation_settings SET " + column + " = :value WHERE tenant_id = :tenant";
        jdbi.useHandle(h -> {
            if (h.createUpdate(update).bindByType("value", value, type).bind("tenant", tenantId).execute() > 0) {
                return;
            }
            try {
                h.createUpdate("INSERT INTO reputation_settings (tenant_id, " + column + ") VALUES (:tenant, :value)")
                        .bind("tenant", tenantId).bindByType("value", value, type).execute();
            } catch (UnableToExecuteStatementException e) {
                if (!Constraints.violated(e)) {
                    throw e;
                }
                h.createUpdate(update).bindByType("value", value, type).bind("tenant", tenantId).execute();
            }
        });
    }

    private static String toJson(Map<String, Double> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, Double> fromJson(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Double>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored thresholds are not JSON", e);
        }
    }
}
