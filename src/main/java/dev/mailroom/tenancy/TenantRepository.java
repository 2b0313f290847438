package dev.mailroom.tenancy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

public final class TenantRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, name, status, status_reason, lifecycle, pool_id, metadata, hourly_cap, daily_cap, created_at, updated_at";
    private final Jdbi jdbi;
    private final EventLog events;

    public TenantRepository(Jdbi jdbi, EventLog events) {
        this.jdbi = jdbi;
        this.events = events;
    }

    public void insert(Tenant tenant) {
        jdbi.useTransaction(h -> {
            bind(h.createUpdate("INSERT INTO tenants (" + COLUMNS + ") VALUES "
                    + "(:id, :name, :status, :reason, :lifecycle, :pool, :metadata, :hourly, :daily, :created, :updated)"), tenant)
                    .bind("pool", tenant.pool())
                    .execute();
            insertStep(h, tenant.id(), new LifecycleStep(tenant.lifecycle(), tenant.createdAt(), null));
        });
    }

    /**
     * Moves a tenant on in its life cycle, writing the step with its date, only if it is still
     * where {@code tenant} was read; returns whether it was stored.
     */
    public boolean changeLifecycle(Tenant tenant, LifecycleStep step) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE tenants SET lifecycle = :to, updated_at = :at WHERE id = :id AND lifecycle = :from")
                    .bind("id", tenant.id()).bind("from", tenant.lifecycle().name()).bind("to", step.state().name())
                    .bind("at", Rows.timestamp(step.enteredAt())).execute();
            if (updated == 0) {
                return false;
            }
            insertStep(h, tenant.id(), step);
            return true;
        });
    }

    /** The states a tenant went through, with their dates, oldest first. */
    public java.util.List<LifecycleStep> lifecycle(String tenantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state, entered_at, note FROM tenant_lifecycle WHERE tenant_id = :id ORDER BY entered_at, state")
                .bind("id", tenantId)
                .map((rs, ctx) -> new LifecycleStep(Lifecycle.valueOf(rs.getString("state")), Rows.instant(rs, "entered_at"), rs.getString("note")))
                .list());
    }

    static void insertStep(Handle h, String tenantId, LifecycleStep step) {
        h.createUpdate("INSERT INTO tenant_lifecycle (tenant_id, state, entered_at, note) VALUES (:id, :state, :at, :note)")
                .bind("id", tenantId).bind("state", step.state().name()).bind("at", Rows.timestamp(step.enteredAt()))
                .bind("note", step.note()).execute();
    }

    /**
     * Writes what a client edits: name, metadata and caps. Status, life cycle and pool move only by
     * their own compare-and-set methods, so that writing a record read before a pause, an offboarding
     * or a pool move cannot undo it.
     */
    public void update(Tenant tenant) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE tenants SET name = :name, metadata = :metadata, hourly_cap = :hourly, daily_cap = :daily, "
                        + "updated_at = :updated WHERE id = :id")
                .bind("id", tenant.id()).bind("name", tenant.name()).bind("metadata", toJson(tenant.metadata()))
                .bindByType("hourly", tenant.hourlyCap(), Integer.class).bindByType("daily", tenant.dailyCap(), Integer.class)
                .bind("updated", Rows.timestamp(tenant.updatedAt()))
                .execute());
    }

    /**
     * Moves a tenant to another pool and records {@code tenant.pool_changed}, all or nothing, and
     * only if the tenant is still in the pool the move started from: of two moves at once, one wins,
     * so the events' {@code from} and {@code to} always chain. Returns whether it was stored.
     */
    public boolean changePool(Tenant tenant, Tenant moved, Map<String, Object> why, java.util.function.Consumer<Handle> alsoInTransaction) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE tenants SET pool_id = :to, updated_at = :updated WHERE id = :id AND pool_id = :from")
                    .bind("id", tenant.id())
                    .bind("from", tenant.pool())
                    .bind("to", moved.pool())
                    .bind("updated", Rows.timestamp(moved.updatedAt()))
                    .execute();
            if (updated == 0) {
                return false;
            }
            var data = new java.util.LinkedHashMap<String, Object>(why);
            data.put("from", tenant.pool());
            data.put("to", moved.pool());
            events.append(h, tenant.id(), "tenant.pool_changed", tenant.id(), data);
            alsoInTransaction.accept(h);
            return true;
        });
    }

    /**
     * Changes a tenant's status and reason and records the event announcing it (and whatever
     * {@code alsoInTransaction} writes: the reason of an automatic action), all or nothing, only if
     * the status is still the one {@code tenant} was read with. Returns whether it was stored.
     */
    public boolean changeStatus(Tenant tenant, Tenant changed, String eventType, Map<String, Object> eventData,
            java.util.function.Consumer<Handle> alsoInTransaction) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE tenants SET status = :to, status_reason = :reason, updated_at = :updated "
                            + "WHERE id = :id AND status = :from")
                    .bind("id", tenant.id()).bind("from", tenant.status().name()).bind("to", changed.status().name())
                    .bind("reason", changed.statusReason()).bind("updated", Rows.timestamp(changed.updatedAt()))
                    .execute();
            if (updated == 0) {
                return false;
            }
            events.append(h, tenant.id(), eventType, tenant.id(), eventData);
            alsoInTransaction.accept(h);
            return true;
        });
    }

    private static Update bind(Update update, Tenant tenant) {
        return update
                .bind("id", tenant.id())
                .bind("name", tenant.name())
                .bind("status", tenant.status().name())
                .bind("reason", tenant.statusReason())
                .bind("lifecycle", tenant.lifecycle().name())
                .bind("metadata", toJson(tenant.metadata()))
                .bindByType("hourly", tenant.hourlyCap(), Integer.class)
                .bindByType("daily", tenant.dailyCap(), Integer.class)
                .bind("created", Rows.timestamp(tenant.createdAt()))
                .bind("updated", Rows.timestamp(tenant.updatedAt()));
    }

    public Optional<Tenant> find(Scope scope, String id) {
        if (!scope.coversTenant(id)) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> find(h, id));
    }

    static Optional<Tenant> find(Handle handle, String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM tenants WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Page<Tenant> list(Scope scope, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM tenants", "id", scope.tenantId(), after, limit,
                (rs, ctx) -> map(rs), Tenant::id);
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tenants").mapTo(Long.class).one());
    }

    private static Tenant map(ResultSet rs) throws SQLException {
        return new Tenant(
                rs.getString("id"),
                rs.getString("name"),
                TenantStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"),
                Lifecycle.valueOf(rs.getString("lifecycle")),
                rs.getString("pool_id"),
                fromJson(rs.getString("metadata")),
                (Integer) rs.getObject("hourly_cap"),
                (Integer) rs.getObject("daily_cap"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    private static String toJson(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<java.util.LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tenant metadata is not JSON", e);
        }
    }
}
