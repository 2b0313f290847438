package dev.mailroom.tenancy;

import dev.mailroom.events.EventLog;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Offboarded tenants' archives ({@code tenant_archives}), the moves in and out of them, and the
 * purge of a tenant's data when its archive ends. Each move changes the tenant, its archive and
 * the event log together or not at all.
 */
public final class ArchiveRepository {
    /**
     * Every statement of the purge, children before parents; rows of tables that reference these
     * (message recipients, DKIM keys, record checks, webhook queues and deliveries, DMARC records) go
     * by ON DELETE CASCADE. A table that gains a tenant_id column must be added here:
     * OffboardingTest checks that none is missed.
     */
    static final List<String> PURGE = List.of(
            "DELETE FROM idempotency_keys WHERE api_key_id IN (SELECT id FROM api_keys WHERE tenant_id = :tenant)",
            "DELETE FROM webhooks WHERE tenant_id = :tenant",
            "DELETE FROM events WHERE tenant_id = :tenant",
            "DELETE FROM messages WHERE tenant_id = :tenant",
            "DELETE FROM suppressions WHERE tenant_id = :tenant",
            "DELETE FROM soft_bounces WHERE tenant_id = :tenant",
            "DELETE FROM dmarc_reports WHERE tenant_id = :tenant",
            "DELETE FROM identities WHERE tenant_id = :tenant",
            "DELETE FROM domain_warmups WHERE tenant_id = :tenant",
            "DELETE FROM warmup_ledger WHERE tenant_id = :tenant",
            "DELETE FROM stats_counts WHERE tenant_id = :tenant",
            "DELETE FROM alerts WHERE tenant_id = :tenant",
            "DELETE FROM reputation_actions WHERE tenant_id = :tenant",
            "DELETE FROM reputation_settings WHERE tenant_id = :tenant",
            "DELETE FROM tenant_lifecycle WHERE tenant_id = :tenant",
            "DELETE FROM api_keys WHERE tenant_id = :tenant",
            "DELETE FROM smtp_credentials WHERE tenant_id = :tenant",
            "DELETE FROM users WHERE tenant_id = :tenant",
            "DELETE FROM domains WHERE tenant_id = :tenant",
            "DELETE FROM domain_names WHERE tenant_id = :tenant",
            "DELETE FROM tenant_archives WHERE tenant_id = :tenant",
            "DELETE FROM tenants WHERE id = :tenant");
    private static final String COLUMNS = "tenant_id, queue, offboarded_at, archived_until, pool_released_at";
    private final Jdbi jdbi;
    private final EventLog events;

    public ArchiveRepository(Jdbi jdbi, EventLog events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    /**
     * Stores the tenant as offboarded with its archive and records {@code tenant.offboarded}, only
     * if it was not offboarded already (of two at once, one wins). Returns whether it was stored.
     */
    boolean offboard(Tenant offboarded, Offboarding.Archive archive) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE tenants SET status = :status, status_reason = :reason, lifecycle = :lifecycle, "
                            + "updated_at = :updated WHERE id = :id AND status <> :status")
                    .bind("id", offboarded.id())
                    .bind("status", TenantStatus.OFFBOARDED.name())
                    .bind("reason", offboarded.statusReason())
                    .bind("lifecycle", Lifecycle.OFFBOARDED.name())
                    .bind("updated", Rows.timestamp(offboarded.updatedAt()))
                    .execute();
            if (updated == 0) {
                return false;
            }
            h.createUpdate("INSERT INTO tenant_archives (" + COLUMNS + ") VALUES (:tenant, :queue, :at, :until, NULL)")
                    .bind("tenant", archive.tenantId())
                    .bind("queue", archive.queue().name())
                    .bind("at", Rows.timestamp(archive.offboardedAt()))
                    .bind("until", Rows.timestamp(archive.archivedUntil()))
                    .execute();
            TenantRepository.insertStep(h, offboarded.id(), new LifecycleStep(Lifecycle.OFFBOARDED, archive.offboardedAt(),
                    "offboarded, queue " + archive.queue().name().toLowerCase(java.util.Locale.ROOT) + "; archived until " + archive.archivedUntil()));
            events.append(h, offboarded.id(), "tenant.offboarded", offboarded.id(),
                    Map.of("queue", archive.queue().name().toLowerCase(java.util.Locale.ROOT), "archived_until", archive.archivedUntil().toString()));
            return true;
        });
    }

    /**
     * Takes the tenant out of its pool, and its domains out of theirs, recording
     * {@code tenant.pool_changed} without a {@code to} (when it was in one), and marks its archive released.
     */
    void releasePool(String tenantId, Instant at) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE tenant_archives SET pool_released_at = :at WHERE tenant_id = :id").bind("id", tenantId)
                    .bind("at", Rows.timestamp(at)).execute();
            var pool = h.createQuery("SELECT pool_id FROM tenants WHERE id = :id").bind("id", tenantId).mapTo(String.class).findOne();
            if (pool.isEmpty()) {
                return;
            }
            h.createUpdate("UPDATE tenants SET pool_id = NULL, updated_at = :at WHERE id = :id").bind("id", tenantId)
                    .bind("at", Rows.timestamp(at)).execute();
            h.createUpdate("UPDATE domains SET pool_id = NULL WHERE tenant_id = :id").bind("id", tenantId).execute();
            // no "to": it is in no pool now (event data holds no nulls)
            events.append(h, tenantId, "tenant.pool_changed", tenantId, Map.of("from", pool.get(), "reason", "offboarded"));
        });
    }

    /**
     * Brings an archived tenant back: sending, lifecycle {@code setup}, in {@code pool}; its archive
     * ends. Only if the archive still runs at {@code at}; returns whether it was restored.
     */
    boolean restore(Tenant restored, Instant at) {
        return jdbi.inTransaction(h -> {
            int archived = h.createUpdate("DELETE FROM tenant_archives WHERE tenant_id = :id AND archived_until > :at")
                    .bind("id", restored.id()).bind("at", Rows.timestamp(at)).execute();
            if (archived == 0) {
                return false;
            }
            h.createUpdate("UPDATE tenants SET status = :status, status_reason = NULL, lifecycle = :lifecycle, pool_id = :pool, "
                            + "updated_at = :updated WHERE id = :id")
                    .bind("id", restored.id())
                    .bind("status", restored.status().name())
                    .bind("lifecycle", restored.lifecycle().name())
                    .bind("pool", restored.pool())
                    .bind("updated", Rows.timestamp(restored.updatedAt()))
                    .execute();
            TenantRepository.insertStep(h, restored.id(), new LifecycleStep(restored.lifecycle(), restored.updatedAt(), "restored from the archive"));
            events.append(h, restored.id(), "tenant.restored", restored.id(), Map.of("pool", restored.pool()));
            return true;
        });
    }

    Optional<Offboarding.Archive> find(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tenant_archives WHERE tenant_id = :id")
                .bind("id", tenantId).map((rs, ctx) -> map(rs)).findOne());
    }

    /** Archives still holding a pool (their tenants finish their queues), oldest first. */
    List<Offboarding.Archive> holdingPools(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM tenant_archives WHERE pool_released_at IS NULL "
                        + "ORDER BY offboarded_at LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> map(rs)).list());
    }

    /** Tenants whose archive ended at {@code at} or before. */
    List<String> expired(Instant at, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT tenant_id FROM tenant_archives WHERE archived_until <= :at "
                        + "ORDER BY archived_until LIMIT :limit")
                .bind("at", Rows.timestamp(at)).bind("limit", limit).mapTo(String.class).list());
    }

    /** Deletes every row of the tenant, everywhere, and with them its claims on domain names; all or nothing. */
    void purge(String tenantId) {
        jdbi.useTransaction(h -> PURGE.forEach(statement -> h.createUpdate(statement).bind("tenant", tenantId).execute()));
    }

    private static Offboarding.Archive map(ResultSet rs) throws SQLException {
        return new Offboarding.Archive(rs.getString("tenant_id"), Offboarding.Queue.valueOf(rs.getString("queue")),
                Rows.instant(rs, "offboarded_at"), Rows.instant(rs, "archived_until"), Rows.instant(rs, "pool_released_at"));
    }

}
