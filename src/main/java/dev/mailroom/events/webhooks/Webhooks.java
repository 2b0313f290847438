package dev.mailroom.events.webhooks;

import dev.mailroom.dkim.SecretSealer;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Ids;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/** Webhooks as Mailroom runs them: the endpoints' service for the API, and their delivery running in the background. */
public final class Webhooks implements AutoCloseable {
    private final WebhookService service;
    private final WebhookDispatcher dispatcher;
    private final WebhookSender sender;

    private Webhooks(WebhookService service, WebhookDispatcher dispatcher, WebhookSender sender) {
        this.service = service;
        this.dispatcher = dispatcher;
        this.sender = sender;
    }

    /**
     * @param timeout how long one attempt may take before it counts as failed
     * @param tick how often the event log is read and due events are looked for
     */
    public record Settings(Destinations destinations, WebhookSchedule schedule, Duration timeout, Duration tick) {
        /** Receivers are expected to answer at once and work after; a slower one fails rather than holding a send. */
        public static final Duration TIMEOUT = Duration.ofSeconds(10);
        public static final Duration TICK = Duration.ofSeconds(1);

        /** As Mailroom runs: the system resolver, {@link WebhookSchedule#STANDARD}, {@link #TIMEOUT} and {@link #TICK}. */
        public static Settings standard(boolean allowPrivate) {
            return new Settings(new Destinations(allowPrivate, InetAddress::getAllByName),
                    new WebhookSchedule(WebhookSchedule.STANDARD, ThreadLocalRandom.current()), TIMEOUT, TICK);
        }
    }

    /** @param tenantExists whether a tenant id names a tenant, for endpoints made for one */
    public static Webhooks start(Settings settings, Jdbi jdbi, Ids ids, EventLog events, SecretSealer sealer, Predicate<String> tenantExists,
            Clock clock) {
        var repository = new WebhookRepository(jdbi, sealer);
        var queue = new WebhookQueue(jdbi, ids);
        var sender = new WebhookSender(settings.destinations(), settings.timeout(), clock);
        var courier = new Courier(jdbi, repository, queue, events, sender, settings.schedule(), clock);
        var dispatcher = new WebhookDispatcher(repository, queue, new LogReader(events, queue, clock), courier, settings.timeout(), clock);
        dispatcher.start(settings.tick());
        return new Webhooks(new WebhookService(repository, queue, courier, settings.destinations(), tenantExists, ids, clock), dispatcher,
                sender);
    }

    public WebhookService service() {
        return service;
    }

    /** Stops delivery, and replays with it: close the API first. */
    @Override
    public void close() {
        dispatcher.close();
        sender.close();
    }
}
