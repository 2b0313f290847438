package dev.mailroom.spool;

/** Where one recipient of a spooled message stands. Only {@link #QUEUED} and {@link #DEFERRED} are unfinished. */
public enum RecipientState {
    QUEUED, DEFERRED, DELIVERED, BOUNCED, FAILED, CANCELLED;

    public boolean finished() {
        return this != QUEUED && this != DEFERRED;
    }
}
