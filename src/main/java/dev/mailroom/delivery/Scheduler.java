package dev.mailroom.delivery;

import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes due recipients out of the spool, tenant by tenant, into delivery. Each tenant holds at most
 * a window of recipients in memory at a time; the rest (a million, if need be) wait in the spool's
 * queue, which is ordered by priority and due time, so that scheduled and deferred recipients cost
 * nothing until they are due. With every tenant's window in the lanes, each lane serves tenants in
 * turn: a big backlog delays nobody else. A reserve beyond the window takes transactional mail
 * only, so a tenant's bulk mail held up at a slow site does not hold up its own password resets.
 */
final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** The longest sleep between looks at the queue, for the clock to catch up with what is due. */
    private static final long MAX_SLEEP_MILLIS = 1000;
    /** Recipients read at once for a tenant under a rate. */
    private static final int RATE_LIMITED_READ = 64;
    private final Spool spool;
    private final RateLimiter rates;
    private final Rate tenantRate;
    private final TenantControls controls;
    private final int window;
    /** Places beyond the window for priority 0 (transactional) only. */
    private final int reserve;
    private final DailyCaps caps;
    private final Clock clock;
    private final ConcurrentHashMap<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Dispatch dispatch;
    private volatile Runnable onIdle;
    private boolean signalled; // guarded by this: new mail, every queue is read
    private boolean poked; // guarded by this: places came free
    private long kickedAt;
    private volatile boolean closed;

    /** What delivery holds of one tenant now, and when its queue next has something due. */
    private static final class Tenant {
        final Set<String> held = ConcurrentHashMap.newKeySet();
        /** Delivery gave a place back since the last look. */
        final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        volatile long nextDue;
        /** The last look stopped at the tenant's rate, not at its window: go on as the rate allows. */
        volatile boolean rateLimited;
    }

    /**
     * @param tenantRate each tenant's messages across all sites (null: no limit)
     * @param controls holds paused tenants' mail and slows throttled tenants
     * @param caps daily caps (warm-up): a recipient over one waits in the queue, uncounted, until it allows more
     */
    Scheduler(Spool spool, RateLimiter rates, Rate tenantRate, TenantControls controls, int window, DailyCaps caps, Clock clock) {
        this.spool = spool;
        this.rates = rates;
        this.tenantRate = tenantRate;
        this.controls = controls;
        this.window = window;
        this.reserve = Math.max(1, window / 4);
        this.caps = caps;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("delivery-scheduler").unstarted(this::run);
    }

    /** Hands recipients to delivery. */
    @FunctionalInterface
    interface Dispatch {
        /**
         * Empty: the recipient is in delivery's hands (which {@link #release releases} it). Else it was not
         * taken (every source address of its pool is at its daily cap) and waits in the queue until then,
         * in epoch millis, uncounted.
         */
        OptionalLong dispatch(QueuedRecipient recipient, long nowMillis);
    }

    /**
     * Starts taking recipients out of the spool (what settles them calls {@link #release}, so the
     * two are built apart and joined here).
     *
     * @param onIdle runs after each look at the queue (lanes get a chance to open connections)
     */
    void start(Dispatch dispatch, Runnable onIdle) {
        this.dispatch = dispatch;
        this.onIdle = onIdle;
        thread.start();
    }

    /** Something new may be due: look at the queue now. */
    synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    /** Delivery is done with a recipient (settled or skipped): its tenant has room again. */
    void release(QueuedRecipient recipient) {
        var tenant = tenants.get(recipient.tenantId());
        if (tenant != null && tenant.held.remove(key(recipient.messageId(), recipient.index()))) {
            tenant.released.set(true);
            if (tenant.held.size() <= window - window / 4 || recipient.priority() == 0) {
                poke();
            }
        }
    }

    /** Looks at the tenants that released places, without rereading every queue. */
    private synchronized void poke() {
        poked = true;
        notifyAll();
    }

    /** Recipients held in memory now, across tenants. */
    int held() {
        return tenants.values().stream().mapToInt(tenant -> tenant.held.size()).sum();
    }

    private void run() {
        while (!closed) {
            try {
                boolean woken;
                synchronized (this) {
                    woken = signalled;
                    signalled = false;
                    poked = false;
                }
                long next = fill(woken);
                if (clock.millis() - kickedAt >= MAX_SLEEP_MILLIS) {
                    onIdle.run();
                    kickedAt = clock.millis();
                }
                synchronized (this) {
                    long sleep = Math.min(MAX_SLEEP_MILLIS, next - clock.millis());
                    if (!signalled && !poked && sleep > 0 && !closed) {
                        TimeUnit.MILLISECONDS.timedWait(this, sleep);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("delivery scheduling failed; trying again in a second", e);
                try {
                    Thread.sleep(MAX_SLEEP_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** One look at every tenant's queue; returns when the next recipient is due. */
    private long fill(boolean woken) {
        long now = clock.millis();
        long next = now + MAX_SLEEP_MILLIS;
        for (var tenantId : spool.queuedTenants()) {
            try {
                next = Math.min(next, lookAt(tenantId, woken, now));
            } catch (RuntimeException e) {
                // one tenant's trouble (its controls unreadable) must not stop the others
                LOG.warn("cannot schedule the queue of {} now; trying again shortly", tenantId, e);
            }
        }
        return next;
    }

    /** One look at one tenant's queue; returns when it next has something due (or may go on under its rate). */
    private long lookAt(String tenantId, boolean woken, long now) {
        if (controls.holds(tenantId)) {
            return now + MAX_SLEEP_MILLIS; // paused: its queue waits untouched, looked at again each second
        }
        var tenant = tenants.computeIfAbsent(tenantId, id -> new Tenant());
        boolean released = tenant.released.getAndSet(false);
        if (!woken && !released && !tenant.rateLimited && tenant.nextDue > now) {
            return tenant.nextDue;
        }
        int held = tenant.held.size();
        int room;
        int maxPriority = SpooledMessage.LOWEST_PRIORITY;
        if (window - held >= window / 4 || tenant.rateLimited && held < window) {
            room = window - held;
        } else if (held < window + reserve) {
            // a full window (bulk mail waiting at a slow site, say) still lets the tenant's transactional mail through
            room = window + reserve - held;
            maxPriority = 0;
        } else {
            return now + MAX_SLEEP_MILLIS; // refilled once it has drained well: each look walks past what is held
        }
        var rate = controls.rate(tenantId, tenantRate);
        if (rate != null) {
            room = Math.min(room, RATE_LIMITED_READ); // most of a long read would wait for tokens anyway
        }
        return take(tenantId, tenant, now, room, maxPriority, rate);
    }

    /** Takes a tenant's due recipients into delivery; returns when the tenant has more due. */
    private long take(String tenantId, Tenant tenant, long now, int room, int maxPriority, Rate rate) {
        var due = spool.due(tenantId, now, room, maxPriority, (id, index) -> tenant.held.contains(key(id, index)));
        // a full read may have left more that is due now
        tenant.nextDue = due.recipients().size() == room ? now : due.nextDueMillis();
        tenant.rateLimited = false;
        var postponed = new HashMap<Long, List<QueuedRecipient>>();
        for (var recipient : due.recipients()) {
            if (rate != null) {
                var wait = rates.tryTake("tenant:" + tenantId, rate);
                if (!wait.isZero()) {
                    tenant.nextDue = now + Math.max(1, wait.toMillis());
                    tenant.rateLimited = true;
                    break;
                }
            }
            var key = key(recipient.messageId(), recipient.index());
            try {
                var capped = caps.admit(recipient, now);
                if (capped.isEmpty()) {
                    tenant.held.add(key); // before dispatch: delivery may settle it, and release it, at once
                    capped = dispatch.dispatch(recipient, now);
                }
                if (capped.isPresent()) {
                    tenant.held.remove(key); // not in delivery: a domain's cap, or every address of its pool, is full
                    postponed.computeIfAbsent(capped.getAsLong(), at -> new ArrayList<>()).add(recipient);
                }
            } catch (RuntimeException e) {
                // the caps and the pool lookup need the database: this recipient waits in the queue for the next look
                tenant.held.remove(key);
                tenant.nextDue = now + MAX_SLEEP_MILLIS;
                LOG.warn("cannot route recipients of {} now; trying again shortly", tenantId, e);
                break;
            }
        }
        // one synced write per look, however many a cap held back
        postponed.forEach((at, recipients) -> spool.postpone(recipients, at));
        return tenant.nextDue;
    }

    private static String key(String messageId, int index) {
        return messageId + "/" + index;
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
