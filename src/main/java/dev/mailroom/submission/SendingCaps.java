package dev.mailroom.submission;

import dev.mailroom.submission.SubmissionRefused.Kind;
import dev.mailroom.tenancy.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Per-tenant caps on recipients per UTC hour and per UTC day (fixed windows). Counts live in
 * memory; a tenant's first count after a start is read from the accepted messages, so a restart
 * does not reset them. With several nodes, each node counts its own acceptances.
 */
final class SendingCaps {
    private final Clock clock;
    private final int defaultHourly;
    private final int defaultDaily;
    private final BiFunction<String, Instant, Long> acceptedSince;
    private final Map<String, Counts> counts = new java.util.concurrent.ConcurrentHashMap<>();

    /** One tenant's counts, guarded by itself: tenants never wait for each other. */
    private static final class Counts {
        Instant hour;
        long inHour;
        Instant day;
        long inDay;
    }

    /**
     * @param defaultHourly cap when the tenant sets none; 0 = no cap
     * @param acceptedSince recipients a tenant had accepted since an instant
     */
    SendingCaps(Clock clock, int defaultHourly, int defaultDaily, BiFunction<String, Instant, Long> acceptedSince) {
        this.clock = clock;
        this.defaultHourly = defaultHourly;
        this.defaultDaily = defaultDaily;
        this.acceptedSince = acceptedSince;
    }

    /** Counts {@code recipients} against the tenant's caps, or refuses them all, saying when to retry. */
    void take(Tenant tenant, int recipients) {
        var now = clock.instant();
        var hour = now.truncatedTo(ChronoUnit.HOURS);
        var day = now.truncatedTo(ChronoUnit.DAYS);
        var count = counts.get(tenant.id());
        if (count == null) {
            // read outside any lock; should two requests seed at once, the first one's counts stand
            var seeded = seeded(tenant.id(), hour, day);
            count = counts.putIfAbsent(tenant.id(), seeded);
            count = count == null ? seeded : count;
        }
        synchronized (count) {
            takeFrom(count, tenant, recipients, hour, day);
        }
    }

    private void takeFrom(Counts count, Tenant tenant, int recipients, Instant hour, Instant day) {
        if (!hour.equals(count.hour)) {
            count.hour = hour;
            count.inHour = 0;
        }
        if (!day.equals(count.day)) {
            count.day = day;
            count.inDay = 0;
        }
        int daily = tenant.dailyCap() != null ? tenant.dailyCap() : defaultDaily;
        int hourly = tenant.hourlyCap() != null ? tenant.hourlyCap() : defaultHourly;
        if (daily > 0 && count.inDay + recipients > daily) {
            throw refusal("daily", daily, count.inDay, day.plus(Duration.ofDays(1)));
        }
        if (hourly > 0 && count.inHour + recipients > hourly) {
            throw refusal("hourly", hourly, count.inHour, hour.plus(Duration.ofHours(1)));
        }
        count.inHour += recipients;
        count.inDay += recipients;
    }

    /** Gives back what {@link #take} counted for mail that was not accepted after all. */
    void giveBack(Tenant tenant, int recipients) {
        var count = counts.get(tenant.id());
        if (count != null) {
            synchronized (count) {
                count.inHour = Math.max(0, count.inHour - recipients);
                count.inDay = Math.max(0, count.inDay - recipients);
            }
        }
    }

    private Counts seeded(String tenantId, Instant hour, Instant day) {
        var count = new Counts();
        count.hour = hour;
        count.day = day;
        count.inDay = acceptedSince.apply(tenantId, day);
        count.inHour = acceptedSince.apply(tenantId, hour);
        return count;
    }

    private static SubmissionRefused refusal(String window, int cap, long used, Instant retryAt) {
        return new SubmissionRefused(Kind.CAP_REACHED, null, "the tenant's " + window + " sending cap of " + cap
                + " recipients is reached (" + used + " used); try again after " + retryAt, retryAt);
    }
}
