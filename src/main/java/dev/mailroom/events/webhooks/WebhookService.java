package dev.mailroom.events.webhooks;

import dev.mailroom.events.EventTypes;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.ValidationException;
import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rules of webhook endpoints: who may create, see and change which, what a URL and a
 * subscription may be, and replays. A tenant's endpoint is its own; an agency endpoint (no
 * tenant) is made and seen by agency callers only.
 */
public final class WebhookService {
    private final WebhookRepository repository;
    private final WebhookQueue queue;
    private final Courier courier;
    private final Destinations destinations;
    private final Predicate<String> tenantExists;
    private final Ids ids;
    private final Clock clock;

    WebhookService(WebhookRepository repository, WebhookQueue queue, Courier courier, Destinations destinations,
            Predicate<String> tenantExists, Ids ids, Clock clock) {
        this.repository = repository;
        this.queue = queue;
        this.courier = courier;
        this.destinations = destinations;
        this.tenantExists = tenantExists;
        this.ids = ids;
        this.clock = clock;
    }

    /** A new endpoint and its secret, which is shown this once. */
    public record Created(Webhook webhook, String secret) {}

    /**
     * @param tenantId null for an agency endpoint (agency callers only)
     * @param eventTypes the types to receive; empty for every type
     */
    public Created create(Scope scope, String tenantId, String url, List<String> eventTypes) {
        if (tenantId == null && !scope.isAgency()) {
            throw new ValidationException("tenant_id", "is required: only an agency key makes a webhook for every tenant");
        }
        if (tenantId != null && (!scope.coversTenant(tenantId) || !tenantExists.test(tenantId))) {
            throw new NotFoundException("tenant", tenantId);
        }
        var errors = new ArrayList<FieldError>();
        URI parsed = null;
        try {
            parsed = destinations.parse(url);
            destinations.refusal(parsed).ifPresent(reason -> errors.add(new FieldError("url", reason)));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("url", e.getMessage()));
        }
        var types = new ArrayList<String>();
        for (int i = 0; i < eventTypes.size(); i++) {
            var type = eventTypes.get(i);
            if (!EventTypes.ALL.contains(type)) {
                errors.add(new FieldError("events[" + i + "]", "'" + type + "' is not an event type; one of "
                        + String.join(", ", EventTypes.ALL.stream().sorted().toList())));
            } else if (!types.contains(type)) {
                types.add(type);
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        var webhook = new Webhook(ids.next("wh"), tenantId, parsed.toString(), types, Webhook.Status.ACTIVE, null, null,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        var secret = Signatures.newSecret();
        repository.insert(webhook, secret);
        return new Created(webhook, secret);
    }

    public Page<Webhook> list(Scope scope, String after, int limit) {
        return repository.list(scope, after, limit);
    }

    public Webhook get(Scope scope, String id) {
        return repository.find(scope, id).orElseThrow(() -> new NotFoundException("webhook", id));
    }

    /** Deletes an endpoint with its queue and deliveries; a send under way still ends. */
    public void delete(Scope scope, String id) {
        repository.delete(get(scope, id));
    }

    /**
     * Makes a disabled endpoint active again. Events queued before it was disabled go on their
     * schedule (those due are sent at once); events written while it was disabled are not sent.
     */
    public Webhook enable(Scope scope, String id) {
        repository.enable(get(scope, id));
        return get(scope, id);
    }

    /** The endpoint's attempts, oldest first; {@code eventId} non-null: of that event only. */
    public Page<WebhookDelivery> deliveries(Scope scope, String id, String eventId, String after, int limit) {
        return queue.deliveries(get(scope, id), eventId, after, limit);
    }

    /** Sends the event of a delivery again now, and returns the new attempt. */
    public WebhookDelivery replay(Scope scope, String id, String deliveryId) {
        var webhook = get(scope, id);
        var queued = queue.ofDelivery(webhook, deliveryId).orElseThrow(() -> new NotFoundException("delivery", deliveryId));
        var target = repository.target(webhook).orElseThrow(() -> new NotFoundException("webhook", id));
        try {
            return courier.replay(target, queued).orElseThrow(() -> new NotFoundException("webhook", id));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + deliveryId, e);
        }
    }
}
