package dev.mailroom.delivery;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.MxHost;
import dev.mailroom.smtp.ClientSettings;
import dev.mailroom.smtp.SmtpClient;
import dev.mailroom.smtp.SmtpClientException;
import dev.mailroom.smtp.SmtpReply;
import dev.mailroom.spool.QueuedRecipient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's life in a lane: take a place under the site's and the source's connection caps,
 * connect to the first MX host that answers, then send the lane's recipients one transaction each
 * (each has its own return path) until the lane is idle or the connection has carried its share.
 */
final class SiteSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteSession.class);
    private static final long RENEW_MILLIS = ConnectionLimiter.LEASE_LIFETIME.toMillis() / 3;
    private final LaneContext context;
    private final Lane lane;
    private SmtpClient client;
    private String mxHost;
    private long renewed;

    SiteSession(LaneContext context, Lane lane) {
        this.context = context;
        this.lane = lane;
    }

    /** Why no connection could be opened: the outcome every waiting recipient would meet. */
    private record Unreachable(ReplyOutcome.SoftFailure outcome, String response, String mxHost) {}

    @Override
    public void run() {
        boolean starved = true;
        var leases = new ArrayList<ConnectionLimiter.Lease>();
        try {
            if (!lease(leases)) {
                return;
            }
            starved = false;
            carry(leases);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("delivery to {} from {} stopped unexpectedly", lane.site().name(), lane.egress().name(), e);
        } finally {
            try {
                closeClient();
                for (var lease : leases) {
                    try {
                        lease.close();
                    } catch (RuntimeException e) {
                        LOG.warn("could not give back a connection lease for {}; it expires by itself", lane.site().name(), e);
                    }
                }
            } finally {
                lane.sessionEnded(starved);
            }
        }
    }

    private boolean lease(List<ConnectionLimiter.Lease> leases) {
        var site = context.connections().tryAcquire("site:" + lane.site().name(), context.backoff().connections(lane.site(), lane.limits()));
        if (site.isEmpty()) {
            return false;
        }
        leases.add(site.get());
        if (lane.egress() instanceof Egress.Direct direct) {
            var source = context.connections().tryAcquire("source:" + direct.name(), context.shaping().source().maxConnections());
            if (source.isEmpty()) {
                return false;
            }
            leases.add(source.get());
        }
        return true;
    }

    private void carry(List<ConnectionLimiter.Lease> leases) throws InterruptedException {
        renewed = System.currentTimeMillis();
        for (int sent = 0; sent < lane.limits().messagesPerConnection() && !context.stopping().get(); ) {
            var recipient = lane.queue().poll(context.idleTimeout().toMillis());
            if (recipient == null) {
                return;
            }
            try {
                if (!carryOne(recipient, leases)) {
                    return;
                }
                sent++;
            } catch (RuntimeException e) {
                // Redis or the spool failing here must not strand the recipient: it waits for its next attempt
                LOG.warn("delivery of {} of {} failed locally", recipient.index(), recipient.messageId(), e);
                context.recorder().settle(recipient, new ReplyOutcome.SoftFailure(BounceCategory.OTHER, false),
                        "local error: " + e.getMessage(), new DeliveryRecorder.Path(mxHost, sourceName()));
                return;
            }
        }
    }

    /** One recipient through the connection; false when the session should end. */
    private boolean carryOne(QueuedRecipient recipient, List<ConnectionLimiter.Lease> leases) throws InterruptedException {
        if (context.spool().state(recipient.messageId(), recipient.index()).map(state -> state.finished()).orElse(true)) {
            context.recorder().skip(recipient); // cancelled (or removed) since it was queued
            return true;
        }
        awaitRates();
        if (context.stopping().get()) {
            context.recorder().skip(recipient); // still queued in the spool: the next start sends it
            return false;
        }
        // a lease lives LEASE_LIFETIME unless renewed: renewed here, before the longest waits (a transaction)
        if (System.currentTimeMillis() - renewed > RENEW_MILLIS) {
            leases.forEach(ConnectionLimiter.Lease::renew);
            renewed = System.currentTimeMillis();
        }
        if (client == null || !client.usable()) {
            closeClient();
            var unreachable = connect();
            if (unreachable.isPresent()) {
                giveUp(recipient, unreachable.get());
                return false;
            }
        }
        // last, after the waits for rates and a connection: paused since it was taken, it waits in the spool's queue
        if (context.controls().holds(recipient.tenantId())) {
            context.recorder().skip(recipient);
            return true;
        }
        send(recipient);
        return true;
    }

    /**
     * No host took a connection. A site that asked us to slow down keeps its queue for the slower
     * pace; a site that cannot be reached at all defers everything waiting for it, as one more
     * connection per recipient would only fail the same way.
     */
    private void giveUp(QueuedRecipient recipient, Unreachable unreachable) {
        var path = new DeliveryRecorder.Path(unreachable.mxHost(), sourceName());
        context.recorder().settle(recipient, unreachable.outcome(), unreachable.response(), path);
        if (unreachable.outcome().slowDown()) {
            context.backoff().slowDown(lane.site());
        } else {
            for (var waiting : lane.queue().drain()) {
                context.recorder().settle(waiting, unreachable.outcome(), unreachable.response(), path);
            }
        }
    }

    private void send(QueuedRecipient recipient) {
        var path = new DeliveryRecorder.Path(mxHost, sourceName());
        var body = context.spool().body(recipient.messageId());
        if (body.isEmpty()) {
            context.recorder().skip(recipient);
            return;
        }
        var returnPath = context.verp().returnPath(recipient.messageId(), recipient.index(), recipient.returnPathDomain());
        ReplyOutcome outcome;
        String response;
        try {
            var reply = client.send(returnPath, List.of(recipient.address()), body.get()).replyFor(0);
            outcome = ReplyClassifier.classify(reply);
            response = reply.toString();
        } catch (SmtpClientException e) {
            outcome = classify(e);
            response = e.getMessage();
            closeClient();
        }
        context.recorder().settle(recipient, outcome, response, path);
        if (outcome.slowDown()) {
            context.backoff().slowDown(lane.site());
        } else if (outcome instanceof ReplyOutcome.Delivered) {
            context.backoff().delivered(lane.site());
        }
    }

    /** Tries the MX hosts in order, each of their addresses in turn; empty once one answered. */
    private Optional<Unreachable> connect() throws InterruptedException {
        Unreachable last = null;
        for (MxHost host : lane.hosts()) {
            for (var address : addresses(host.host())) {
                try {
                    client = open(address, host.host(), tlsPolicy());
                    mxHost = host.host();
                    return Optional.empty();
                } catch (SmtpClientException e) {
                    if (e.failure() == SmtpClientException.Failure.TLS && tlsPolicy() == ClientSettings.TlsPolicy.OPPORTUNISTIC) {
                        // opportunistic TLS that breaks falls back to clear text, as MTAs do (RFC 7435)
                        try {
                            client = open(address, host.host(), ClientSettings.TlsPolicy.NONE);
                            mxHost = host.host();
                            return Optional.empty();
                        } catch (SmtpClientException again) {
                            e = again;
                        }
                    }
                    var outcome = classify(e) instanceof ReplyOutcome.SoftFailure soft ? soft
                            : new ReplyOutcome.SoftFailure(((ReplyOutcome.HardFailure) classify(e)).category(), false);
                    last = new Unreachable(outcome, host.host() + " [" + address.getHostAddress() + "]:" + lane.port() + ": " + e.getMessage(), host.host());
                    LOG.debug("{} ({}) from {}: {}", host.host(), address, lane.egress().name(), e.getMessage());
                }
            }
        }
        if (last == null) {
            last = new Unreachable(new ReplyOutcome.SoftFailure(BounceCategory.CONNECTION, false),
                    "no address found for the MX hosts of " + lane.site().name(), null);
        }
        return Optional.of(last);
    }

    private SmtpClient open(InetAddress address, String serverName, ClientSettings.TlsPolicy tls) throws SmtpClientException {
        var egress = lane.egress();
        var settings = switch (egress) {
            case Egress.Direct direct -> new ClientSettings(direct.source(), direct.heloName(), tls, null, false, context.timeouts());
            // a relay configured without TLS but with a login is the operator's explicit choice (a relay on loopback)
            case Egress.Relay relay -> new ClientSettings(null, relay.heloName(), tls,
                    relay.username() == null ? null : new ClientSettings.Credentials(relay.username(), relay.password()),
                    tls == ClientSettings.TlsPolicy.NONE, context.timeouts());
        };
        return SmtpClient.open(settings, new InetSocketAddress(address, lane.port()), serverName);
    }

    private ClientSettings.TlsPolicy tlsPolicy() {
        return switch (lane.egress()) {
            case Egress.Direct direct -> lane.limits().requireTls() ? ClientSettings.TlsPolicy.REQUIRED : ClientSettings.TlsPolicy.OPPORTUNISTIC;
            case Egress.Relay relay -> relay.tls();
        };
    }

    /** The host's addresses of the source's family (an IPv4 source cannot reach an IPv6 host). */
    private List<InetAddress> addresses(String host) {
        var result = new ArrayList<InetAddress>();
        var source = lane.egress() instanceof Egress.Direct direct ? direct.source() : null;
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                var literal = InetAddress.ofLiteral(host);
                if (source == null || source.getClass() == literal.getClass()) {
                    result.add(literal);
                }
            } catch (IllegalArgumentException e) {
                // not an address after all: no way to reach it
            }
            return result;
        }
        if (source == null || source instanceof java.net.Inet4Address) {
            if (context.dns().a(host) instanceof Answer.Records<InetAddress> records) {
                result.addAll(records.values());
            }
        }
        if (source == null || source instanceof java.net.Inet6Address) {
            if (context.dns().aaaa(host) instanceof Answer.Records<InetAddress> records) {
                result.addAll(records.values());
            }
        }
        return result;
    }

    private void awaitRates() throws InterruptedException {
        var siteRate = context.backoff().rate(lane.site(), lane.limits());
        if (siteRate != null) {
            take("site:" + lane.site().name(), siteRate);
        }
        var sourceRate = context.shaping().source().rate();
        if (sourceRate != null && lane.egress() instanceof Egress.Direct direct) {
            take("source:" + direct.name(), sourceRate);
        }
    }

    private void take(String key, Rate rate) throws InterruptedException {
        for (var wait = context.rates().tryTake(key, rate); !wait.isZero(); wait = context.rates().tryTake(key, rate)) {
            Thread.sleep(wait);
        }
    }

    private static ReplyOutcome classify(SmtpClientException e) {
        SmtpReply reply = e.reply();
        if (reply != null) {
            return ReplyClassifier.classify(reply);
        }
        return ReplyClassifier.classify(switch (e.failure()) {
            case CONNECTION_REFUSED -> LocalFailure.CONNECTION_REFUSED;
            case TIMEOUT -> LocalFailure.TIMEOUT;
            case TLS -> LocalFailure.TLS_HANDSHAKE_FAILED;
            default -> LocalFailure.CONNECTION_RESET;
        });
    }

    private String sourceName() {
        return lane.egress() instanceof Egress.Direct direct && direct.source() != null ? direct.source().getHostAddress() : null;
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
