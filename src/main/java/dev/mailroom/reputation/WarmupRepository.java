package dev.mailroom.reputation;

import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.Stream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The sending domains as warm-up sees them: stream, first verification, and their own settings if any. */
final class WarmupRepository {
    private static final String SELECT = "SELECT d.id, d.tenant_id, d.name, d.stream, d.verified_at, w.schedule, w.target_daily_volume, "
            + "w.enabled FROM domains d LEFT JOIN domain_warmups w ON w.domain_id = d.id ";
    private final Jdbi jdbi;

    WarmupRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A domain with its warm-up settings. {@code verifiedAt} null: not verified yet (it has not started).
     * {@code schedule} and {@code targetDailyVolume} null: the defaults.
     */
    record DomainWarmup(String id, String tenantId, String name, Stream stream, Instant verifiedAt, String schedule, Long targetDailyVolume,
            boolean enabled) {}

    Optional<DomainWarmup> find(String tenantId, String domainId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE d.id = :id AND d.tenant_id = :tenant")
                .bind("id", domainId).bind("tenant", tenantId).map((rs, ctx) -> map(rs)).findOne());
    }

    List<DomainWarmup> ofTenant(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + "WHERE d.tenant_id = :tenant ORDER BY d.id")
                .bind("tenant", tenantId).map((rs, ctx) -> map(rs)).list());
    }

    /** Replaces a domain's own settings. */
    void save(String tenantId, String domainId, String schedule, Long targetDailyVolume, boolean enabled, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM domain_warmups WHERE domain_id = :id AND tenant_id = :tenant")
                    .bind("id", domainId).bind("tenant", tenantId).execute();
            h.createUpdate("INSERT INTO domain_warmups (domain_id, tenant_id, schedule, target_daily_volume, enabled, updated_at) "
                            + "VALUES (:id, :tenant, :schedule, :target, :enabled, :now)")
                    .bind("id", domainId).bind("tenant", tenantId).bind("schedule", schedule).bind("target", targetDailyVolume)
                    .bind("enabled", enabled).bind("now", Rows.timestamp(now)).execute();
        });
    }

    private static DomainWarmup map(ResultSet rs) throws SQLException {
        long target = rs.getLong("target_daily_volume");
        Long targetDailyVolume = rs.wasNull() ? null : target;
        boolean enabled = rs.getBoolean("enabled");
        boolean ownSettings = !rs.wasNull();
        return new DomainWarmup(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"), Stream.valueOf(rs.getString("stream")),
                Rows.instant(rs, "verified_at"), rs.getString("schedule"), targetDailyVolume, !ownSettings || enabled);
    }
}
