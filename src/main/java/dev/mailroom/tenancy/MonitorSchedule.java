package dev.mailroom.tenancy;

import java.time.Duration;
import java.time.Instant;

/**
 * How often a domain's DNS is checked: often just after it is added (while the client is
 * publishing), then less often until it verifies, then daily to notice breakage.
 */
public record MonitorSchedule(Duration initialInterval, Duration initialPeriod, Duration pendingInterval, Duration verifiedInterval) {
    public static final MonitorSchedule DEFAULT =
            new MonitorSchedule(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(24));

    Instant next(Domain domain, DomainStatus status, Instant now) {
        if (status == DomainStatus.VERIFIED) {
            return now.plus(verifiedInterval);
        }
        if (now.isBefore(domain.createdAt().plus(initialPeriod))) {
            return now.plus(initialInterval);
        }
        return now.plus(pendingInterval);
    }
}
