package dev.mailroom.delivery;

import dev.mailroom.events.BatchedWriter;
import dev.mailroom.events.DeliveryReport;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.Spool;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles each attempt: the recipient's new state in the spool (delivered, bounced, deferred to
 * its next try, or failed once the retry schedule gives up) together with a report that the index
 * and the event log receive in batches. The spool write comes first and is synced, so a report is
 * never lost to a crash and a delivered recipient is never sent again after a restart.
 */
final class DeliveryRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRecorder.class);
    private final Spool spool;
    private final BatchedWriter<DeliveryReport> reports;
    private final RetrySchedule retries;
    private final Clock clock;
    private final Consumer<QueuedRecipient> onSettled;
    private final java.util.Map<RecipientStatus, io.micrometer.core.instrument.Counter> attempts = new java.util.EnumMap<>(RecipientStatus.class);

    /** @param onSettled hears every recipient delivery no longer holds (the scheduler frees its place) */
    DeliveryRecorder(Spool spool, BatchedWriter<DeliveryReport> reports, RetrySchedule retries, Clock clock, Consumer<QueuedRecipient> onSettled,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        for (var status : java.util.List.of(RecipientStatus.DELIVERED, RecipientStatus.DEFERRED, RecipientStatus.BOUNCED, RecipientStatus.FAILED)) {
            attempts.put(status, io.micrometer.core.instrument.Counter.builder("mailroom.delivery.attempts")
                    .description("Delivery attempts by what they came to").tag("outcome", status.name().toLowerCase(java.util.Locale.ROOT))
                    .register(metrics));
        }
        this.spool = spool;
        this.reports = reports;
        this.retries = retries;
        this.clock = clock;
        this.onSettled = onSettled;
    }

    /** Where an attempt went: the host that answered (null: none did) and the source address used. */
    record Path(String mxHost, String source) {
        static final Path NONE = new Path(null, null);
    }

    void settle(QueuedRecipient recipient, ReplyOutcome outcome, String response, Path path) {
        int attempts = recipient.failedAttempts() + 1;
        var report = switch (outcome) {
            case ReplyOutcome.Delivered delivered -> report(recipient, RecipientStatus.DELIVERED, attempts, response, path, null, null);
            case ReplyOutcome.HardFailure hard -> report(recipient, RecipientStatus.BOUNCED, attempts, response, path, hard.category(), null);
            case ReplyOutcome.SoftFailure soft -> retries.next(attempts, recipient.acceptedAt(), clock.instant())
                    .map(next -> report(recipient, RecipientStatus.DEFERRED, attempts, response, path, soft.category(), next))
                    .orElseGet(() -> report(recipient, RecipientStatus.FAILED, attempts, response, path, soft.category(), null));
        };
        try {
            reserve();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("stopping: the attempt on {} of {} is not recorded and is made again at the next start", recipient.index(), recipient.messageId());
            onSettled.accept(recipient);
            return;
        }
        boolean recorded;
        try {
            recorded = switch (report.status()) {
                case DEFERRED -> spool.defer(recipient, report.nextAttemptAt().toEpochMilli(), attempts, report.encode());
                case DELIVERED -> complete(recipient, RecipientState.DELIVERED, report);
                case BOUNCED -> complete(recipient, RecipientState.BOUNCED, report);
                default -> complete(recipient, RecipientState.FAILED, report);
            };
        } catch (RuntimeException e) {
            // released now, it would be sent again and again while the spool refuses writes: it waits for a restart
            reports.unreserve(1);
            LOG.error("cannot record the attempt on {} of {} in the spool; it is held until the next start", recipient.index(),
                    recipient.messageId(), e);
            return;
        }
        if (recorded) {
            reports.add(java.util.List.of(report));
            this.attempts.get(report.status()).increment();
        } else {
            reports.unreserve(1); // cancelled meanwhile: nothing to report
        }
        onSettled.accept(recipient);
    }

    /** A recipient that needs no attempt (cancelled meanwhile): only its place is freed. */
    void skip(QueuedRecipient recipient) {
        onSettled.accept(recipient);
    }

    private boolean complete(QueuedRecipient recipient, RecipientState state, DeliveryReport report) {
        spool.complete(recipient, state, report.attempts(), report.encode());
        return true;
    }

    /** Room for the report before the spool write: a database that is down holds delivery back rather than filling the heap. */
    private void reserve() throws InterruptedException {
        while (!reports.reserve(1, Duration.ofMinutes(1))) {
            LOG.warn("the database is behind with delivery reports; delivery waits for it");
        }
    }

    private DeliveryReport report(QueuedRecipient recipient, RecipientStatus status, int attempts, String response, Path path,
            BounceCategory category, java.time.Instant next) {
        return new DeliveryReport(recipient.tenantId(), recipient.domainId(), recipient.messageId(), recipient.index(), recipient.address(),
                status, attempts, response, path.mxHost(), path.source(), category == null ? null : category.code(), next, clock.instant());
    }
}
