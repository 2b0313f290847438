package dev.mailroom.smtp;

import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * What the application decides during one SMTP submission session; {@link SmtpServer} does the
 * protocol (syntax, sequencing, limits, STARTTLS, SASL) and asks a handler only what policy must
 * answer. One handler serves one connection, on that connection's thread, so it may keep state (who
 * logged in) in plain fields.
 *
 * <p>The server calls, in order: {@link #authenticate} for each AUTH exchange; {@link #mailFrom} once
 * a MAIL FROM command has passed the syntax and size checks; {@link #rcptTo} for each syntactically
 * valid RCPT TO within the recipient limit; {@link #data} once the whole message has arrived within
 * the limits. A handler answers with a reply it chooses; a 421 reply also ends the session. A
 * handler that throws gets the client a transient failure (451 4.3.0, or 454 4.7.0 for AUTH), so
 * the client keeps the message and tries again.
 *
 * <p>After STARTTLS the server drops the handler and opens a new one with the TLS session: RFC 3207
 * asks the server to forget everything learnt before TLS, including a login.
 */
public interface SubmissionHandler {
    /** Opens the handler of one connection. */
    interface Factory {
        /** @param tls the TLS session after STARTTLS, null on a plain connection */
        SubmissionHandler open(InetSocketAddress remote, SSLSession tls);
    }

    /** Checks a SASL username and password (PLAIN or LOGIN); true logs the client in. */
    boolean authenticate(String username, String password);

    /**
     * Starts a transaction from {@code reversePath} ("" for the null path {@code <>}): accept with
     * 250 2.1.0 ({@link SmtpReply#senderOk()}) or refuse, e.g. 530 5.7.0 when this client must
     * authenticate first ({@link SmtpReply#authenticationRequired()}).
     */
    SmtpReply mailFrom(String reversePath);

    /** Adds a recipient: 250 2.1.5 ({@link SmtpReply#recipientOk()}) or refuse; a refused recipient is left out. */
    SmtpReply rcptTo(String forwardPath);

    /** Takes the whole message: 250 2.0.0 only once it is durable, else a 4xx or 5xx reply. */
    SmtpReply data(Transaction transaction);

    /**
     * One received message.
     *
     * @param helo the name the client gave in HELO/EHLO
     * @param reversePath the MAIL FROM address, "" for {@code <>}
     * @param recipients the accepted RCPT TO addresses, in order
     * @param message the message as received, dot-unstuffed, every line ending CRLF
     * @param smtputf8 MAIL FROM carried SMTPUTF8 (RFC 6531): addresses and headers may be UTF-8
     * @param eightBit MAIL FROM carried BODY=8BITMIME (RFC 6152)
     */
    record Transaction(String helo, String reversePath, List<String> recipients, byte[] message, boolean smtputf8, boolean eightBit) {
        public Transaction {
            recipients = List.copyOf(recipients);
        }

        @Override
        public String toString() {
            return "Transaction[from <" + reversePath + ">, " + recipients.size() + " recipients, " + message.length + " bytes]";
        }
    }
}
