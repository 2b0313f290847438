package dev.mailroom.tenancy;

import dev.mailroom.store.Page;
import dev.mailroom.store.PagedQuery;
import dev.mailroom.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code users} table. Users are the agency's: listing them is not scoped by tenant. */
public final class UserRepository {
    static final String COLUMNS = "id, email, role, tenant_id, created_at";
    private final Jdbi jdbi;

    public UserRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A user with its password hash, for logging in only. */
    public record StoredUser(User user, String passwordHash) {}

    public void insert(User user, String passwordHash) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (" + COLUMNS + ", password_hash) "
                        + "VALUES (:id, :email, :role, :tenant, :created, :hash)")
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("role", user.role().name())
                .bind("tenant", user.tenantId())
                .bind("created", Rows.timestamp(user.createdAt()))
                .bind("hash", passwordHash)
                .execute());
    }

    public Optional<StoredUser> findByEmail(String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", password_hash FROM users WHERE email = :email")
                .bind("email", email)
                .map((rs, ctx) -> new StoredUser(map(rs), rs.getString("password_hash")))
                .findOne());
    }

    public Optional<User> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    public Page<User> list(String after, int limit) {
        return PagedQuery.list(jdbi, "SELECT " + COLUMNS + " FROM users", "tenant_id", null, after, limit, (rs, ctx) -> map(rs), User::id);
    }

    /** Removes the user and, by cascade, its sessions; returns whether it existed. */
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute()) > 0;
    }

    static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("email"), Role.valueOf(rs.getString("role")), rs.getString("tenant_id"),
                Rows.instant(rs, "created_at"));
    }
}
