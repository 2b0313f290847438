package dev.mailroom.events;

/** Where a recipient of a message stands, as the API shows it. */
public enum RecipientStatus {
    QUEUED, DEFERRED, DELIVERED, BOUNCED, FAILED, SUPPRESSED, COMPLAINED, CANCELLED
}
