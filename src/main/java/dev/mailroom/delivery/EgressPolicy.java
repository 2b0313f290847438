package dev.mailroom.delivery;

import dev.mailroom.spool.QueuedRecipient;

/** Chooses the egress of each recipient: the sending domain's pool, else its tenant's (or one relay for everything). */
@FunctionalInterface
public interface EgressPolicy {
    /** The egress of a recipient about to be handed to delivery at {@code nowMillis}. */
    Choice egressFor(QueuedRecipient recipient, long nowMillis);

    /** An egress, or none today. */
    sealed interface Choice permits Send, Wait {}

    /** Send it through {@code egress}. */
    record Send(Egress egress) implements Choice {}

    /** Every source address of the recipient's pool is at its daily cap: it waits in the queue until {@code untilMillis}, not sent, no attempt counted. */
    record Wait(long untilMillis) implements Choice {}
}
