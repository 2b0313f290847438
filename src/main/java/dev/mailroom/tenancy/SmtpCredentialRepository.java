package dev.mailroom.tenancy;

import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

public final class SmtpCredentialRepository {
    private static final String COLUMNS = "id, tenant_id, username, password_hash, networks, domain_ids, created_at";
    private final Jdbi jdbi;

    public SmtpCredentialRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(SmtpCredential credential, String passwordHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO smtp_credentials (" + COLUMNS + ") "
                        + "VALUES (:id, :tenant, :username, :hash, :networks, :domains, :created)")
                .bind("id", credential.id())
                .bind("tenant", credential.tenantId())
                .bind("username", credential.username())
                .bind("hash", passwordHash)
                .bind("networks", Rows.joined(credential.networks()))
                .bind("domains", Rows.joined(credential.domainIds()))
                .bind("created", Rows.timestamp(credential.createdAt()))
                .execute());
    }

    /** The credential with this username and the hash of its password, for SMTP AUTH. */
    public Optional<StoredCredential> findByUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM smtp_credentials WHERE username = :username")
                .bind("username", username)
                .map((rs, ctx) -> new StoredCredential(map(rs), rs.getString("password_hash")))
                .findOne());
    }

    public record StoredCredential(SmtpCredential credential, String passwordHash) {}

    /** Every credential that names networks (for submission without AUTH). */
    public List<SmtpCredential> withNetworks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM smtp_credentials WHERE networks IS NOT NULL")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    public Optional<SmtpCredential> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM smtp_credentials WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs))
                        .findOne())
                .filter(credential -> scope.coversTenant(credential.tenantId()));
    }

    public Page<SmtpCredential> list(Scope scope, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM smtp_credentials", "tenant_id", scope.tenantId(), after, limit,
                (rs, ctx) -> map(rs), SmtpCredential::id);
    }

    public void delete(SmtpCredential credential) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM smtp_credentials WHERE id = :id AND tenant_id = :tenant")
                .bind("id", credential.id())
                .bind("tenant", credential.tenantId())
                .execute());
    }

    private static SmtpCredential map(ResultSet rs) throws SQLException {
        return new SmtpCredential(rs.getString("id"), rs.getString("tenant_id"), rs.getString("username"),
                Rows.list(rs, "networks"), Rows.list(rs, "domain_ids"), Rows.instant(rs, "created_at"));
    }
}
