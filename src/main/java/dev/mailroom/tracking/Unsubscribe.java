package dev.mailroom.tracking;

/** Whom an unsubscribe token names, for the page that answers it; {@code domain} is the sending domain's name. */
public sealed interface Unsubscribe {
    String domain();

    /** The one recipient of the message. */
    record Recipient(String email, String domain) implements Unsubscribe {}

    /** A message to several recipients shares one body, so its token cannot tell which of them asks. */
    record Shared(String domain) implements Unsubscribe {}
}
