package dev.mailroom.delivery;

import dev.mailroom.spool.QueuedRecipient;
import java.util.OptionalLong;

/**
 * Daily caps on the recipients each source address of a pool is given (warm-up of new addresses):
 * asked for the address the egress policy is about to choose for a recipient. An address over its
 * cap is skipped in favour of the pool's others. Called on the scheduler's thread for every
 * recipient, so an answer must come from memory nearly always.
 */
@FunctionalInterface
public interface AddressCaps {
    /** Empty: send it from {@code address} (the recipient is counted against the address's cap). Else the epoch millis the address has room again. */
    OptionalLong admit(QueuedRecipient recipient, PoolAddress address, long nowMillis);
}
