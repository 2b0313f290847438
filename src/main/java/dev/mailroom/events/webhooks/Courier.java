package dev.mailroom.events.webhooks;

import dev.mailroom.events.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt to deliver a queued event and records it: the attempt, the event's next
 * step (delivered, retried on the {@link WebhookSchedule}, given up), and the endpoint's health,
 * in one transaction. An endpoint whose attempts have all failed for {@link #DISABLE_AFTER} is
 * disabled, and {@code alert.raised} is written for its tenant.
 */
final class Courier {
    private static final Logger LOG = LoggerFactory.getLogger(Courier.class);
    /**
     * As Svix: long enough for a receiver to be fixed after a weekend, and past the last retry of
     * any event (27.6 hours), so an endpoint is never disabled for one bad day.
     */
    static final Duration DISABLE_AFTER = Duration.ofDays(5);
    private final Jdbi jdbi;
    private final WebhookRepository webhooks;
    private final WebhookQueue queue;
    private final EventLog events;
    private final WebhookSender sender;
    private final WebhookSchedule schedule;
    private final Clock clock;

    Courier(Jdbi jdbi, WebhookRepository webhooks, WebhookQueue queue, EventLog events, WebhookSender sender, WebhookSchedule schedule,
            Clock clock) {
        this.jdbi = jdbi;
        this.webhooks = webhooks;
        this.queue = queue;
        this.events = events;
        this.sender = sender;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** An attempt the schedule made due (the event was claimed for it); true when it delivered. */
    boolean attempt(Target target, QueuedEvent queued) throws InterruptedException {
        var outcome = send(target, queued);
        var at = now();
        WebhookQueue.Change change = outcome.delivered() ? new WebhookQueue.Change.Delivered()
                : schedule.next(queued.queuedAt(), at).<WebhookQueue.Change>map(WebhookQueue.Change.Retry::new)
                        .orElseGet(WebhookQueue.Change.GiveUp::new);
        record(target, queued, outcome, change, at);
        return outcome.delivered();
    }

    /** An attempt asked for through the API: it leaves the event's schedule as it was, unless it delivers it. Empty: the endpoint is gone. */
    Optional<WebhookDelivery> replay(Target target, QueuedEvent queued) throws InterruptedException {
        var outcome = send(target, queued);
        var change = outcome.delivered() ? new WebhookQueue.Change.Delivered() : new WebhookQueue.Change.Keep();
        return record(target, queued, outcome, change, now());
    }

    private Outcome send(Target target, QueuedEvent queued) throws InterruptedException {
        var event = events.find(queued.eventId());
        return event.isPresent() ? sender.send(target, event.get())
                : new Outcome.Unreached("event " + queued.eventId() + " is no longer in the event log", Duration.ZERO);
    }

    private Optional<WebhookDelivery> record(Target target, QueuedEvent queued, Outcome outcome, WebhookQueue.Change change, Instant at) {
        return jdbi.inTransaction(h -> {
            var delivery = queue.recordIn(h, queued, outcome, change, at);
            if (delivery.isEmpty()) {
                return delivery;
            }
            var webhook = target.webhook();
            if (outcome.delivered()) {
                webhooks.succeededIn(h, webhook.id());
            } else {
                var failingSince = webhooks.failedIn(h, webhook.id(), at).orElse(at);
                if (!at.isBefore(failingSince.plus(DISABLE_AFTER)) && webhooks.disableIn(h, webhook.id(), at)) {
                    raiseAlert(h, webhook, failingSince, delivery.get());
                }
            }
            return delivery;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * {@code alert.raised} for the endpoint's tenant. The event log is per tenant, so an agency
     * endpoint's disabling has no tenant to be written for: it is logged, and its status shows it.
     */
    private void raiseAlert(Handle h, Webhook webhook, Instant failingSince, WebhookDelivery last) {
        var reason = last.statusCode() != null ? "HTTP " + last.statusCode() : last.error();
        if (webhook.tenantId() == null) {
            LOG.error("agency webhook {} ({}) is disabled: every attempt failed since {}, the last with {}", webhook.id(), webhook.url(),
                    failingSince, reason);
            return;
        }
        var data = new LinkedHashMap<String, Object>();
        data.put("alert", "webhook_disabled");
        data.put("webhook_id", webhook.id());
        data.put("url", webhook.url());
        data.put("failing_since", failingSince.toString());
        data.put("last_failure", reason);
        events.append(h, webhook.tenantId(), "alert.raised", webhook.id(), data);
        LOG.warn("webhook {} of tenant {} ({}) is disabled: every attempt failed since {}", webhook.id(), webhook.tenantId(), webhook.url(),
                failingSince);
    }
}
