package dev.mailroom.delivery;

import dev.mailroom.dns.MxHost;
import dev.mailroom.spool.QueuedRecipient;
import java.util.List;

/**
 * The recipients bound for one receiving site from one egress (source address or relay), and the
 * connections that carry them: as many as the site's limits, its back-off level and the source's
 * limit allow, each sending many messages before it closes.
 */
final class Lane {
    private final LaneContext context;
    private final Egress egress;
    private final ReceivingSite site;
    private final int port;
    private final Shaping.SiteLimits limits;
    private final FairQueue queue = new FairQueue();
    private volatile List<MxHost> hosts;
    private int sessions; // guarded by this
    private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile long lastUsed = System.nanoTime();

    Lane(LaneContext context, Egress egress, ReceivingSite site, List<MxHost> hosts, int port, Shaping.SiteLimits limits) {
        this.context = context;
        this.egress = egress;
        this.site = site;
        this.hosts = List.copyOf(hosts);
        this.port = port;
        this.limits = limits;
    }

    /** Queues a recipient; the MX hosts as DNS gave them last replace the ones before. */
    void offer(QueuedRecipient recipient, List<MxHost> currentHosts) {
        hosts = List.copyOf(currentHosts);
        queue.add(recipient);
        startSessions();
    }

    /** Opens another connection while there is more waiting than connections carrying it, within the limits. */
    synchronized void startSessions() {
        int allowed = context.backoff().connections(site, limits);
        if (queue.size() > sessions && sessions < allowed) {
            sessions++;
            var thread = Thread.ofVirtual().name("delivery " + egress.name() + " -> " + site.name()).unstarted(new SiteSession(context, this));
            threads.add(thread);
            thread.start();
        }
    }

    /** A connection ended; {@code starved}: it could not get a place under the limits and did nothing. */
    void sessionEnded(boolean starved) {
        threads.remove(Thread.currentThread());
        lastUsed = System.nanoTime();
        synchronized (this) {
            sessions--;
        }
        if (!starved) {
            startSessions();
        }
    }

    synchronized int sessions() {
        return sessions;
    }

    void touch() {
        lastUsed = System.nanoTime();
    }

    /** Cuts short the connections still open (stopping: their recipients stay queued in the spool). */
    void interruptSessions() {
        threads.forEach(Thread::interrupt);
    }

    /** Nothing waiting, no connection, and nothing offered for {@code nanos}: the lane may be forgotten. */
    synchronized boolean idleFor(long nanos) {
        return sessions == 0 && queue.size() == 0 && System.nanoTime() - lastUsed > nanos;
    }

    FairQueue queue() {
        return queue;
    }

    Egress egress() {
        return egress;
    }

    ReceivingSite site() {
        return site;
    }

    List<MxHost> hosts() {
        return hosts;
    }

    int port() {
        return port;
    }

    Shaping.SiteLimits limits() {
        return limits;
    }
}
