package dev.mailroom.delivery;

import java.util.Objects;

/** What one recipient's final reply (or the lack of one) means for that recipient and for the site. */
public sealed interface ReplyOutcome {
    /**
     * The site asked us to slow down (rate limit, "try later", a block of our IP): delivery puts the
     * whole receiving site in back-off, since every other message to it would meet the same answer.
     */
    boolean slowDown();

    record Delivered() implements ReplyOutcome {
        @Override
        public boolean slowDown() {
            return false;
        }
    }

    /** Try again later, within the retry schedule. */
    record SoftFailure(BounceCategory category, boolean slowDown) implements ReplyOutcome {
        public SoftFailure {
            Objects.requireNonNull(category, "category");
        }
    }

    /** Do not try this recipient again. */
    record HardFailure(BounceCategory category, boolean slowDown) implements ReplyOutcome {
        public HardFailure {
            Objects.requireNonNull(category, "category");
        }
    }
}
