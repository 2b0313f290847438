package dev.mailroom.reputation;

import java.util.Locale;

/** What the roll-ups count, one per recipient event; {@link #wireName()} is the name in the API and the database. */
public enum Metric {
    /** Accepted and queued for delivery ({@code message.queued}). */
    SENT,
    DELIVERED,
    DEFERRED,
    /** A permanent failure: refused at delivery, or a DSN that says so. */
    HARD_BOUNCED,
    /** A temporary failure reported by DSN after delivery (a delay warning, a full mailbox). */
    SOFT_BOUNCED,
    /** Gave up after retrying temporary failures. */
    FAILED,
    /** A feedback report of the recipient's (abuse or fraud). */
    COMPLAINED,
    /** An open by a person (machine opens, such as privacy proxies, are not counted). */
    OPENED,
    /** A click by a person (link scanners are not counted). */
    CLICKED,
    UNSUBSCRIBED,
    /** Not sent because the address was suppressed. */
    SUPPRESSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
