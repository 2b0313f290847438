package dev.mailroom.tenancy;

/** The kind of mail a sending domain carries; each kind builds its own reputation. */
public enum Stream {
    TRANSACTIONAL("tx", "tx"),
    MARKETING("mk", "news"),
    NOTIFICATIONS("nt", "notify");

    private final String selectorPrefix;
    private final String suggestedLabel;

    Stream(String selectorPrefix, String suggestedLabel) {
        this.selectorPrefix = selectorPrefix;
        this.suggestedLabel = suggestedLabel;
    }

    /** Starts the DKIM selectors of this stream's keys, so two streams on one name never share a selector. */
    public String selectorPrefix() {
        return selectorPrefix;
    }

    /** The subdomain label practitioners use for this stream (tx., news., notify.). */
    public String suggestedLabel() {
        return suggestedLabel;
    }

    /** Marketing and notifications are sent in volume: mailbox providers hold them to bulk-sender rules. */
    public boolean isBulk() {
        return this != TRANSACTIONAL;
    }
}
