package dev.mailroom.feedback;

import dev.mailroom.store.Rows;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts soft bounces per address: one temporary failure says little, but an address that bounces
 * softly again and again (a mailbox full for weeks, a server that never answers) is treated as gone.
 */
public final class SoftBounces {
    private final Jdbi jdbi;
    private final int limit;
    private final Duration window;
    private final Clock clock;

    /** @param limit soft bounces within {@code window} that make an address gone; 0 never does */
    public SoftBounces(Jdbi jdbi, int limit, Duration window, Clock clock) {
        this.jdbi = jdbi;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Records one; true when the address has now reached the limit within the window. */
    public boolean record(String tenantId, String email, String messageId) {
        var now = clock.instant();
        var address = email.toLowerCase(Locale.ROOT);
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM soft_bounces WHERE tenant_id = :tenant AND email = :email AND bounced_at < :cutoff")
                    .bind("tenant", tenantId).bind("email", address).bind("cutoff", Rows.timestamp(now.minus(window))).execute();
            h.createUpdate("INSERT INTO soft_bounces (tenant_id, email, message_id, bounced_at) VALUES (:tenant, :email, :message, :at)")
                    .bind("tenant", tenantId).bind("email", address).bind("message", messageId).bind("at", Rows.timestamp(now)).execute();
            // one message's warning and its final failure are one bounce
            int count = h.createQuery("SELECT COUNT(DISTINCT message_id) FROM soft_bounces WHERE tenant_id = :tenant AND email = :email")
                    .bind("tenant", tenantId).bind("email", address).mapTo(Integer.class).one();
            return limit > 0 && count >= limit;
        });
    }
}
