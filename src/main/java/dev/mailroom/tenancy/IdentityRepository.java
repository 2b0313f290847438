package dev.mailroom.tenancy;

import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

public final class IdentityRepository {
    private static final String COLUMNS = "id, tenant_id, email, status, token_hash, token_expires_at, created_at, verified_at";
    private final Jdbi jdbi;

    public IdentityRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** An identity with its confirmation token's hash and expiry, as the confirmation page finds it. */
    public record Confirmable(Identity identity, Instant tokenExpiresAt) {}

    public void insert(Identity identity, String tokenHash, Instant tokenExpiresAt) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO identities (" + COLUMNS + ") "
                        + "VALUES (:id, :tenant, :email, :status, :hash, :expires, :created, :verified)")
                .bind("id", identity.id())
                .bind("tenant", identity.tenantId())
                .bind("email", identity.email())
                .bind("status", identity.status().name())
                .bind("hash", tokenHash)
                .bind("expires", Rows.timestamp(tokenExpiresAt))
                .bind("created", Rows.timestamp(identity.createdAt()))
                .bind("verified", Rows.timestamp(identity.verifiedAt()))
                .execute());
    }

    public Optional<Identity> find(Scope scope, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM identities WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> map(rs))
                        .findOne())
                .filter(identity -> scope.coversTenant(identity.tenantId()));
    }

    /** The identities with this (lower-case) address among the scope's tenants: one per tenant at most. */
    public List<Identity> withEmail(Scope scope, String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM identities WHERE email = :email")
                        .bind("email", email)
                        .map((rs, ctx) -> map(rs))
                        .list())
                .stream().filter(identity -> scope.coversTenant(identity.tenantId())).toList();
    }

    public Optional<Confirmable> withToken(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM identities WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Confirmable(map(rs), Rows.instant(rs, "token_expires_at")))
                .findOne());
    }

    public Page<Identity> list(Scope scope, String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM identities", "tenant_id", scope.tenantId(), after, limit,
                (rs, ctx) -> map(rs), Identity::id);
    }

    /** Marks a pending identity verified; false when it was not pending (confirmed meanwhile, or deleted). */
    public boolean markVerified(Identity identity, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE identities SET status = :verified, verified_at = :at "
                        + "WHERE id = :id AND tenant_id = :tenant AND status = :pending")
                .bind("verified", IdentityStatus.VERIFIED.name())
                .bind("pending", IdentityStatus.PENDING.name())
                .bind("at", Rows.timestamp(at))
                .bind("id", identity.id())
                .bind("tenant", identity.tenantId())
                .execute()) == 1;
    }

    /** A new confirmation token for a pending identity (the old link stops working); false when it is not pending. */
    public boolean replaceToken(Identity identity, String tokenHash, Instant tokenExpiresAt) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE identities SET token_hash = :hash, token_expires_at = :expires "
                        + "WHERE id = :id AND tenant_id = :tenant AND status = :pending")
                .bind("hash", tokenHash)
                .bind("expires", Rows.timestamp(tokenExpiresAt))
                .bind("pending", IdentityStatus.PENDING.name())
                .bind("id", identity.id())
                .bind("tenant", identity.tenantId())
                .execute()) == 1;
    }

    public void delete(Identity identity) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM identities WHERE id = :id AND tenant_id = :tenant")
                .bind("id", identity.id())
                .bind("tenant", identity.tenantId())
                .execute());
    }

    private static Identity map(ResultSet rs) throws SQLException {
        return new Identity(rs.getString("id"), rs.getString("tenant_id"), rs.getString("email"),
                IdentityStatus.valueOf(rs.getString("status")), Rows.instant(rs, "created_at"), Rows.instant(rs, "verified_at"));
    }
}
