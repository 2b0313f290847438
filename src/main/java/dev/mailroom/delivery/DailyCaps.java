package dev.mailroom.delivery;

import dev.mailroom.spool.QueuedRecipient;
import java.util.OptionalLong;

/**
 * Daily caps on what delivery hands out (warm-up of new domains): asked once for each recipient
 * the scheduler is about to dispatch. A recipient over its cap is not sent and not counted as an
 * attempt: it moves in the queue to when the cap allows more. Called on the scheduler's thread
 * for every recipient, so an answer must come from memory nearly always.
 */
@FunctionalInterface
public interface DailyCaps {
    /** Empty: send it now (the recipient is counted against its caps). Else the epoch millis to try again at. */
    OptionalLong admit(QueuedRecipient recipient, long nowMillis);
}
