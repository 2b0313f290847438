package dev.mailroom.delivery;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-off state of each receiving site: a site that asks us to slow down goes one level down
 * (half the connections, a lower rate) instead of every message retrying on its own; deliveries in
 * a row bring it back up. Kept in this process: each node learns a site's mood from its own replies.
 */
final class SiteBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(SiteBackoff.class);
    /** One burst of refusals (every open connection hears 421 at once) is one step down, not ten. */
    private static final long STEP_MILLIS = 1000;
    private final Shaping.Backoff settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> sites = new ConcurrentHashMap<>();

    private record State(int level, int successes, long steppedAt) {}

    SiteBackoff(Shaping.Backoff settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    int level(ReceivingSite site) {
        var state = sites.get(site.name());
        return state == null ? 0 : state.level();
    }

    void slowDown(ReceivingSite site) {
        long now = clock.millis();
        var after = sites.compute(site.name(), (name, state) -> {
            if (state == null) {
                return new State(1, 0, now);
            }
            if (now - state.steppedAt() < STEP_MILLIS) {
                return new State(state.level(), 0, state.steppedAt());
            }
            return new State(Math.min(settings.maxLevel(), state.level() + 1), 0, now);
        });
        LOG.info("site {} asked to slow down: back-off level {}", site.name(), after.level());
    }

    void delivered(ReceivingSite site) {
        sites.computeIfPresent(site.name(), (name, state) -> {
            if (state.successes() + 1 < settings.recoverAfter()) {
                return new State(state.level(), state.successes() + 1, state.steppedAt());
            }
            LOG.info("site {} takes mail again: back-off level {}", name, state.level() - 1);
            return state.level() <= 1 ? null : new State(state.level() - 1, 0, state.steppedAt());
        });
    }

    /** Connections allowed to the site now. */
    int connections(ReceivingSite site, Shaping.SiteLimits limits) {
        int level = level(site);
        return level == 0 ? limits.maxConnections() : Math.max(1, limits.maxConnections() >> level);
    }

    /**
     * The site's rate now (null: unlimited). In back-off it is smooth, one message per interval
     * with no burst, and never above the site's own limit.
     */
    Rate rate(ReceivingSite site, Shaping.SiteLimits limits) {
        int level = level(site);
        if (level == 0) {
            return limits.rate();
        }
        var slowed = settings.rate().halved(level - 1);
        if (limits.rate() != null && limits.rate().intervalMicros() > slowed.intervalMicros()) {
            slowed = limits.rate();
        }
        return new Rate(1, java.time.Duration.ofNanos(slowed.intervalMicros() * 1000));
    }
}
