package dev.mailroom.feedback;

import dev.mailroom.delivery.BounceCategory;
import dev.mailroom.events.DeliveryReport;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.tenancy.Scope;
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

    public BounceSuppression(SuppressionList suppressions, SoftBounces softBounces) {
        this.suppressions = suppressions;
        this.softBounces = softBounces;
    }

    public void bounced(String tenantId, String email, String messageId, boolean hard, BounceCategory category) {
        if (!category.isAboutRecipient()) {
            return;
        }
        if (hard || softBounces.record(tenantId, email, messageId)) {
            suppressions.add(Scope.AGENCY, tenantId, null, email, SuppressionReason.HARD_BOUNCE);
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
                        BounceCategory.valueOf(report.category().toUpperCase(Locale.ROOT)));
            }
        }
    }
}
