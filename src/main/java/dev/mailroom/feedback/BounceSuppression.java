package dev.mailroom.feedback;

import dev.mailroom.delivery.BounceCategory;
import dev.mailroom.events.DeliveryReport;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import java.util.List;
import java.util.Locale;

/**
 * Which bounces suppress an address, wherever they were learnt (a reply during delivery, a DSN
 * later): a hard bounce about the recipient suppresses it for its tenant at once; soft ones about
 * the mailbox count, and enough within the window suppress it too. Bounces about us or the path
 * (policy, rate, our IP, TLS) never do: the address may be fine.
 */
public final class BounceSuppression {
    private final SuppressionList suppressions;
    private final SoftBounces softBounces;
    private final EventLog events;

    public BounceSuppression(SuppressionList suppressions, SoftBounces softBounces, EventLog events) {
        this.suppressions = suppressions;
        this.softBounces = softBounces;
        this.events = events;
    }

    /** @param sourceEventId the event that reported the bounce, which a suppression names */
    public void bounced(String tenantId, String email, String messageId, boolean hard, BounceCategory category, String sourceEventId) {
        if (!category.isAboutRecipient()) {
            return;
        }
        if (hard || softBounces.record(tenantId, email, messageId)) {
            suppressions.add(Scope.AGENCY, tenantId, null, email, SuppressionReason.HARD_BOUNCE, sourceEventId);
        }
    }

    /**
     * Delivery's outcomes, once recorded: a recipient bounced during delivery, or failed after its
     * retries (a soft bounce that lasted days).
     */
    public void delivered(List<DeliveryReport> reports) {
        for (var report : reports) {
            if ((report.status() == RecipientStatus.BOUNCED || report.status() == RecipientStatus.FAILED) && report.category() != null) {
                bounced(report.tenantId(), report.email(), report.messageId(), report.status() == RecipientStatus.BOUNCED,
                        BounceCategory.valueOf(report.category().toUpperCase(Locale.ROOT)), eventOf(report));
            }
        }
    }

    /** The event the report was written with (bounces are few: one query each is cheap), if it can be found. */
    private String eventOf(DeliveryReport report) {
        return events.list(new EventLog.Filter(report.tenantId(), report.eventType(), report.messageId(), null), null, 100).data().stream()
                .filter(event -> report.email().equals(event.data().get("email")) && Integer.valueOf(report.attempts()).equals(event.data().get("attempts")))
                .map(Event::id).findFirst().orElse(null);
    }
}
