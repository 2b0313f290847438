package dev.mailroom.tenancy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

public final class TenantRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, name, status, status_reason, lifecycle, pool_id, metadata, hourly_cap, daily_cap, created_at, updated_at";
    private final Jdbi jdbi;

    public TenantRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(Tenant tenant) {
        write("INSERT INTO tenants (" + COLUMNS + ") VALUES "
                + "(:id, :name, :status, :reason, :lifecycle, :pool, :metadata, :hourly, :daily, :created, :updated)", tenant);
    }

    /** Writes the whole record; its id and creation time never change. */
    public void update(Tenant tenant) {
        write("UPDATE tenants SET name = :name, status = :status, status_reason = :reason, lifecycle = :lifecycle, "
                + "pool_id = :pool, metadata = :metadata, hourly_cap = :hourly, daily_cap = :daily, created_at = :created, updated_at = :updated WHERE id = :id", tenant);
    }

    private void write(String sql, Tenant tenant) {
        jdbi.useHandle(h -> h.createUpdate(sql)
                .bind("id", tenant.id())
                .bind("name", tenant.name())
                .bind("status", tenant.status().name())
                .bind("reason", tenant.statusReason())
                .bind("lifecycle", tenant.lifecycle().name())
                .bind("pool", tenant.pool())
                .bind("metadata", toJson(tenant.metadata()))
                .bindByType("hourly", tenant.hourlyCap(), Integer.class)
                .bindByType("daily", tenant.dailyCap(), Integer.class)
                .bind("created", Rows.timestamp(tenant.createdAt()))
                .bind("updated", Rows.timestamp(tenant.updatedAt()))
                .execute());
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
