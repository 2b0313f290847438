package dev.mailroom.delivery;

import dev.mailroom.dns.DomainNames;
import dev.mailroom.dns.InvalidDomainNameException;
import dev.mailroom.dns.MxHost;
import dev.mailroom.spool.QueuedRecipient;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends each recipient to its lane: the egress of its pool, then the receiving site of its domain
 * (MX lookups run apart, one per domain at a time, and are kept a short while) or the relay. A
 * domain that takes no mail settles its recipients here, without a connection.
 */
final class Router implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Router.class);
    /** How long a route is reused; the resolver below keeps DNS answers for their own TTL. */
    private static final long ROUTE_MILLIS = 60_000;
    /** A failed lookup is asked again soon. */
    private static final long FAILED_ROUTE_MILLIS = 5_000;
    /** A lane with nothing to do this long is dropped (a new one is made when mail comes). */
    private static final long IDLE_LANE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    private final MxRouter mx;
    private final EgressPolicy egress;
    private final LaneContext context;
    private final int mxPort;
    private final int noRouteAttempts;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor();

    private record Cached(CompletableFuture<Route> route, long until) {}

    /** @param noRouteAttempts a domain without MX or address bounces once this many attempts found none */
    Router(MxRouter mx, EgressPolicy egress, LaneContext context, int mxPort, int noRouteAttempts, Clock clock) {
        this.mx = mx;
        this.egress = egress;
        this.context = context;
        this.mxPort = mxPort;
        this.noRouteAttempts = noRouteAttempts;
        this.clock = clock;
    }

    /**
     * Sends a recipient on its way (the scheduler's {@link Scheduler.Dispatch}): empty, unless every
     * source address of its pool is at its daily cap; then it is not taken, and the answer is when
     * it may go (epoch millis).
     */
    OptionalLong dispatch(QueuedRecipient recipient, long nowMillis) {
        Egress way;
        switch (egress.egressFor(recipient, nowMillis)) {
            case EgressPolicy.Wait wait -> {
                return OptionalLong.of(wait.untilMillis());
            }
            case EgressPolicy.Send send -> way = send.egress();
        }
        if (way instanceof Egress.Relay relay) {
            var hosts = List.of(new MxHost(0, relay.host()));
            lane(way, new ReceivingSite(relay.name()), hosts, relay.port()).offer(recipient, hosts);
            return OptionalLong.empty();
        }
        String domain;
        try {
            domain = DomainNames.normalise(recipient.address().substring(recipient.address().lastIndexOf('@') + 1));
        } catch (InvalidDomainNameException e) {
            settle(recipient, new ReplyOutcome.HardFailure(BounceCategory.BAD_DOMAIN, false), "the recipient's domain " + e.getMessage());
            return OptionalLong.empty();
        }
        route(domain).thenAccept(route -> place(recipient, way, domain, route)).exceptionally(e -> {
            LOG.error("routing {} of {} failed; it is tried again", recipient.index(), recipient.messageId(), e);
            context.recorder().skip(recipient);
            return null;
        });
        return OptionalLong.empty();
    }

    private CompletableFuture<Route> route(String domain) {
        long now = clock.millis();
        return routes.compute(domain, (name, cached) -> {
            if (cached != null && cached.until() > now) {
                return cached;
            }
            var lookup = CompletableFuture.supplyAsync(() -> mx.route(name), lookups)
                    .exceptionally(e -> new Route.Unknown("MX lookup for " + name + " failed: " + e.getMessage()));
            // the entry's lifetime is set when it starts; a failure shortens the next one's wait
            return new Cached(lookup, now + ROUTE_MILLIS);
        }).route().thenApply(route -> {
            if (route instanceof Route.Unknown) {
                routes.computeIfPresent(domain, (name, cached) -> new Cached(cached.route(), Math.min(cached.until(), now + FAILED_ROUTE_MILLIS)));
            }
            return route;
        });
    }

    private void place(QueuedRecipient recipient, Egress way, String domain, Route route) {
        switch (route) {
            case Route.Hosts hosts -> lane(way, hosts.site(), hosts.hosts(), mxPort).offer(recipient, hosts.hosts());
            case Route.NullMx none -> settle(recipient, new ReplyOutcome.HardFailure(BounceCategory.BAD_DOMAIN, false),
                    "556 5.1.10 " + domain + " publishes a null MX: it accepts no mail (RFC 7505)");
            case Route.NoHosts none -> settle(recipient, recipient.failedAttempts() + 1 >= noRouteAttempts
                    ? new ReplyOutcome.HardFailure(BounceCategory.BAD_DOMAIN, false)
                    : new ReplyOutcome.SoftFailure(BounceCategory.BAD_DOMAIN, false), none.reason());
            case Route.Unknown unknown -> settle(recipient, new ReplyOutcome.SoftFailure(BounceCategory.OTHER, false), unknown.reason());
        }
    }

    private void settle(QueuedRecipient recipient, ReplyOutcome outcome, String response) {
        context.recorder().settle(recipient, outcome, response, DeliveryRecorder.Path.NONE);
    }

    private Lane lane(Egress way, ReceivingSite site, List<MxHost> hosts, int port) {
        // touched inside the map's lock, so that kick cannot drop a lane between this lookup and the offer
        return lanes.compute(way.name() + " -> " + site.name(), (key, lane) -> {
            var current = lane != null ? lane : new Lane(context, way, site, hosts, port, context.shaping().limitsFor(hosts));
            current.touch();
            return current;
        });
    }

    /** Every lane, for stopping. */
    java.util.Collection<Lane> lanes() {
        return lanes.values();
    }

    /**
     * Lanes with recipients waiting get another try at opening connections (places under shared
     * caps come free elsewhere); lanes and routes unused for a while are forgotten, so that the
     * sites seen once do not pile up.
     */
    void kick() {
        long now = clock.millis();
        routes.values().removeIf(cached -> cached.until() < now && cached.route().isDone());
        lanes.keySet().forEach(key -> lanes.computeIfPresent(key, (k, lane) -> lane.idleFor(IDLE_LANE_NANOS) ? null : lane));
        lanes.values().forEach(Lane::startSessions);
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
