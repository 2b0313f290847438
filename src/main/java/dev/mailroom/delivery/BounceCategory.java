package dev.mailroom.delivery;

import java.util.Locale;

/**
 * Why a recipient was not delivered. Only the first three are about the recipient; the others are
 * about us (our IP, our authentication, our rate) or the path, so they must never suppress an address.
 */
public enum BounceCategory {
    BAD_MAILBOX, BAD_DOMAIN, MAILBOX_FULL, POLICY, SPAM_RELATED, AUTH_FAILURE, RATE_LIMITED, TLS, TIMEOUT, CONNECTION, OTHER;

    /** Whether the category is about the recipient (so a hard bounce of it may suppress the address), not about us or the path. */
    public boolean isAboutRecipient() {
        return this == BAD_MAILBOX || this == BAD_DOMAIN || this == MAILBOX_FULL;
    }

    /** The name events and webhooks carry, e.g. {@code bad_mailbox}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
