package dev.mailroom.tenancy;

import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

public final class ApiKeyRepository {
    private static final String COLUMNS = "id, tenant_id, secret_hash, permissions, domain_ids, bootstrap, created_at";
    private final Jdbi jdbi;

    public ApiKeyRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A key with the hash of its secret, for authentication only. */
    public record StoredKey(ApiKey key, String secretHash) {}

    public void insert(ApiKey key, String secretHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_keys (" + COLUMNS + ") "
                        + "VALUES (:id, :tenant, :hash, :permissions, :domains, :bootstrap, :created)")
                .bind("id", key.id())
                .bind("tenant", key.tenantId())
                .bind("hash", secretHash)
                .bind("permissions", Rows.joined(key.permissions().stream().map(Enum::name).sorted().toList()))
                .bind("domains", Rows.joined(key.domainIds()))
                .bind("bootstrap", key.bootstrap())
                .bind("created", Rows.timestamp(key.createdAt()))
                .execute());
    }

    public Optional<StoredKey> findForAuthentication(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new StoredKey(map(rs), rs.getString("secret_hash")))
                .findOne());
    }

    /**
     * Stores a key whose secret lives elsewhere (the configured admin key), unless a key with
     * its id exists already; a concurrent insert by another node is not an error.
     */
    public void insertIfAbsent(ApiKey key) {
        try {
            insert(key, "");
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (findForAuthentication(key.id()).isEmpty()) {
                throw e;
            }
        }
    }

    public void deleteBootstrap() {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM api_keys WHERE bootstrap = TRUE").execute());
    }

    public boolean anyAgencyKey() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM api_keys WHERE tenant_id IS NULL")
                .mapTo(Long.class)
                .one()) > 0;
    }

    public Optional<ApiKey> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs))
                        .findOne())
                .filter(key -> scope.isAgency() || scope.tenantId().equals(key.tenantId()));
    }

    public Page<ApiKey> list(Scope scope, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM api_keys", "tenant_id", scope.tenantId(), after, limit,
                (rs, ctx) -> map(rs), ApiKey::id);
    }

    public void delete(ApiKey key) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM api_keys WHERE id = :id").bind("id", key.id()).execute());
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        var permissions = EnumSet.noneOf(Permission.class);
        for (var name : Rows.list(rs, "permissions")) {
            permissions.add(Permission.valueOf(name));
        }
        List<String> domains = Rows.list(rs, "domain_ids");
        return new ApiKey(rs.getString("id"), rs.getString("tenant_id"), permissions, domains,
                rs.getBoolean("bootstrap"), Rows.instant(rs, "created_at"));
    }
}
