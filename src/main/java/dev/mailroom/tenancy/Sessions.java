package dev.mailroom.tenancy;

import dev.mailroom.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Dashboard sessions, kept in the database so that every node knows them and logging out ends
 * them everywhere. The cookie holds a random token; the table holds only its SHA-256. A session
 * ends after {@link #IDLE} without a request, and after {@link #ABSOLUTE} whatever happens.
 */
public final class Sessions {
    public static final Duration IDLE = Duration.ofHours(12);
    public static final Duration ABSOLUTE = Duration.ofDays(7);
    /** last_seen_at is written at most this often, so that reading pages does not write on every request. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private final Jdbi jdbi;
    private final Clock clock;

    public Sessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A live session: its user and the token that forms and htmx requests must send back (CSRF). */
    public record Session(String id, User user, String csrfToken, Instant createdAt, Instant expiresAt, Instant lastSeenAt) {}

    /** A new session and the token for the cookie, which is not stored and cannot be read back. */
    public record Started(String token, Session session) {}

    /** Starts a new session for {@code user}: always a new token, so that a token planted before login is worthless after it. */
    public Started start(User user) {
        var now = now();
        var token = Secrets.generate();
        var session = new Session(Secrets.hash(token), user, Secrets.generate(), now, now.plus(ABSOLUTE), now);
        jdbi.useTransaction(h -> {
            // expired sessions go when someone logs in, so the table holds only live ones and a few stale ones
            h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now OR last_seen_at <= :idle")
                    .bind("now", Rows.timestamp(now)).bind("idle", Rows.timestamp(now.minus(IDLE))).execute();
            h.createUpdate("INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at) "
                            + "VALUES (:id, :user, :csrf, :created, :expires, :seen)")
                    .bind("id", session.id()).bind("user", user.id()).bind("csrf", session.csrfToken())
                    .bind("created", Rows.timestamp(now)).bind("expires", Rows.timestamp(session.expiresAt()))
                    .bind("seen", Rows.timestamp(now)).execute();
        });
        return new Started(token, session);
    }

    /** The live session of a cookie's token, marked as seen now; empty when unknown, ended or expired. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        var now = now();
        var id = Secrets.hash(token);
        var found = jdbi.withHandle(h -> h.createQuery("SELECT s.id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, "
                        + "u.id, u.email, u.role, u.tenant_id, u.created_at AS user_created_at FROM sessions s JOIN users u ON u.id = s.user_id "
                        + "WHERE s.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new Session(rs.getString(1), new User(rs.getString(6), rs.getString(7), Role.valueOf(rs.getString(8)),
                        rs.getString(9), Rows.instant(rs, "user_created_at")), rs.getString(2), Rows.instant(rs, "created_at"),
                        Rows.instant(rs, "expires_at"), Rows.instant(rs, "last_seen_at")))
                .findOne());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var session = found.get();
        if (!now.isBefore(session.expiresAt()) || !now.isBefore(session.lastSeenAt().plus(IDLE))) {
            end(token);
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt().plus(TOUCH_EVERY))) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE id = :id")
                    .bind("now", Rows.timestamp(now)).bind("id", id).execute());
            session = new Session(session.id(), session.user(), session.csrfToken(), session.createdAt(), session.expiresAt(), now);
        }
        return Optional.of(session);
    }

    /** Ends the session of this token, if there is one. */
    public void end(String token) {
        if (token != null && !token.isEmpty()) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id").bind("id", Secrets.hash(token)).execute());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
