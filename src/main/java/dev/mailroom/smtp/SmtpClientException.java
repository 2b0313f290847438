package dev.mailroom.smtp;

/**
 * A connection or transaction that {@link SmtpClient} could not take further: either the server
 * said no where no alternative was left ({@link #reply()}: a 421 or 554 greeting, a refused EHLO
 * and HELO, 530 to AUTH), or something failed locally ({@link #failure()}: no connection, a timeout,
 * a broken TLS handshake, bytes that are not SMTP). Exactly one of the two is set.
 */
public final class SmtpClientException extends Exception {
    private final Stage stage;
    private final transient SmtpReply reply;
    private final Failure failure;

    /** Where in the session it happened. */
    public enum Stage {
        CONNECT,
        /** The TLS handshake: at once for implicit TLS, or after the server's 220 to STARTTLS. */
        TLS,
        GREETING,
        /** EHLO, and HELO after it. */
        EHLO,
        STARTTLS,
        AUTH,
        MAIL,
        RCPT,
        DATA
    }

    /** What went wrong when the server gave no reply to show for it. */
    public enum Failure {
        /** No connection: refused, no route to the host, unreachable. */
        CONNECTION_REFUSED,
        /** The connection broke, or the server closed it without a reply. */
        CONNECTION_RESET,
        /** A connect, read or write took longer than its {@link ClientSettings.Timeouts timeout}. */
        TIMEOUT,
        /**
         * The session could not be encrypted: the handshake failed (the connection is lost; under
         * opportunistic TLS the caller may connect again without TLS), or TLS is required and the
         * server offers no STARTTLS, or credentials need TLS and there is none.
         */
        TLS,
        /** The server's bytes are not SMTP replies, or a reply makes no sense where it came. */
        PROTOCOL,
        /** The server offers no AUTH mechanism the client speaks (PLAIN, LOGIN). */
        UNSUPPORTED,
        /** The source address cannot be bound: not an address of this host, or taken. */
        SOURCE_ADDRESS
    }

    SmtpClientException(Stage stage, SmtpReply reply) {
        super(stage + ": " + reply);
        this.stage = stage;
        this.reply = reply;
        this.failure = null;
    }

    SmtpClientException(Stage stage, Failure failure, String message, Throwable cause) {
        super(stage + ": " + failure + ": " + message, cause);
        this.stage = stage;
        this.reply = null;
        this.failure = failure;
    }

    public Stage stage() {
        return stage;
    }

    /** The server's reply that ended it, or null for a local failure. */
    public SmtpReply reply() {
        return reply;
    }

    /** The local failure, or null when the server replied. */
    public Failure failure() {
        return failure;
    }
}
