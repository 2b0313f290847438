package dev.mailroom.reputation;

import dev.mailroom.delivery.PoolService;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantRepository;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reputation engine every reputation.interval: each tenant moved on in its life cycle
 * and judged by the autopilot, then each pool judged. One tenant's failure is logged and the rest
 * go on. Statistics come from the roll-up, which runs on its own schedule.
 */
public final class ReputationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReputationEngine.class);
    private static final int PAGE = 500;
    private final TenantRepository tenants;
    private final PoolService pools;
    private final Autopilot autopilot;
    private final Onboarding onboarding;
    private final Thread thread;
    private volatile boolean closed;

    public ReputationEngine(TenantRepository tenants, PoolService pools, Autopilot autopilot, Onboarding onboarding, Duration interval) {
        this.tenants = tenants;
        this.pools = pools;
        this.autopilot = autopilot;
        this.onboarding = onboarding;
        this.thread = Thread.ofVirtual().name("reputation").unstarted(() -> loop(interval));
    }

    public ReputationEngine start() {
        thread.start();
        return this;
    }

    /** One look at every tenant and pool. */
    public void runOnce() {
        String after = null;
        do {
            var page = tenants.list(Scope.AGENCY, after, PAGE);
            for (var tenant : page.data()) {
                try {
                    onboarding.advance(tenant);
                    autopilot.evaluate(tenants.find(Scope.AGENCY, tenant.id()).orElse(tenant));
                } catch (RuntimeException e) {
                    LOG.warn("reputation check of tenant {} failed; the next run tries again", tenant.id(), e);
                }
            }
            after = page.nextCursor();
        } while (after != null);
        after = null;
        do {
            var page = pools.list(after, PAGE);
            for (var pool : page.data()) {
                try {
                    autopilot.evaluate(pool);
                } catch (RuntimeException e) {
                    LOG.warn("reputation check of pool {} failed; the next run tries again", pool.id(), e);
                }
            }
            after = page.nextCursor();
        } while (after != null);
    }

    private void loop(Duration interval) {
        while (!closed) {
            try {
                Thread.sleep(interval);
                runOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("reputation run failed; trying again in {}", interval, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
