package dev.mailroom.events;

import java.util.Set;

/**
 * Every event type the log holds (SPEC.md's list, and {@code message.cancelled}, {@code tenant.offboarded},
 * {@code tenant.restored}). Webhook
 * subscriptions are checked against it, so a new type is added here when something starts
 * writing it.
 */
public final class EventTypes {
    public static final Set<String> ALL = Set.of(
            "message.queued", "message.delivered", "message.deferred", "message.bounced", "message.failed",
            "message.suppressed", "message.cancelled", "message.complained", "message.opened", "message.clicked",
            "message.unsubscribed", "domain.verified", "domain.failing", "tenant.throttled", "tenant.paused",
            "tenant.resumed", "tenant.pool_changed", "tenant.offboarded", "tenant.restored", "alert.raised", "alert.resolved");

    private EventTypes() {}
}
