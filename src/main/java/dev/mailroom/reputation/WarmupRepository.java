package dev.mailroom.reputation;

import dev.mailroom.store.Rows;
import dev.mailroom.tenancy.Stream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The sending domains as warm-up sees them (stream, first verification, and their own settings if
 * any), and the source addresses of pools (when each joined its pool).
 */
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

    /** A source address of a pool and the time it joined it (its day 1). */
    record AddressWarmup(String address, String hostname, Instant addedAt) {}

    /** When {@code address} joined its pool; empty when it is in none. */
    Optional<Instant> addressAddedAt(String address) {
        return jdbi.withHandle(h -> h.createQuery("SELECT created_at FROM pool_addresses WHERE address = :address")
                .bind("address", address).map((rs, ctx) -> Rows.instant(rs, "created_at")).findOne());
    }

    /** The source addresses of a pool, oldest first. */
    List<AddressWarmup> addressesOfPool(String poolId) {
        return addresses("pool_id = :pool", "pool", poolId);
    }

    /** The source addresses of the pools a tenant's mail leaves from: its own pool and its domains' pools. */
    List<AddressWarmup> addressesOfTenant(String tenantId) {
        return addresses("pool_id IN (SELECT pool_id FROM tenants WHERE id = :tenant "
                + "UNION SELECT pool_id FROM domains WHERE tenant_id = :tenant AND pool_id IS NOT NULL)", "tenant", tenantId);
    }

    private List<AddressWarmup> addresses(String condition, String name, String value) {
        return jdbi.withHandle(h -> h.createQuery("SELECT address, hostname, created_at FROM pool_addresses WHERE " + condition
                        + " ORDER BY created_at, address")
                .bind(name, value)
                .map((rs, ctx) -> new AddressWarmup(rs.getString("address"), rs.getString("hostname"), Rows.instant(rs, "created_at")))
                .list());
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
