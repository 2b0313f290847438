package dev.mailroom.smtp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link SmtpClient} opens a connection.
 *
 * @param source the local address to send from (an IP pool's address), or null for the system's choice
 * @param heloName the name given in EHLO/HELO: the host name the source address's PTR record names
 * @param tls whether and how to encrypt the session
 * @param credentials the login for AUTH (a smarthost), or null to send without one
 * @param allowAuthWithoutTls whether credentials may be sent over a session without TLS (a smarthost on loopback)
 */
public record ClientSettings(InetAddress source, String heloName, TlsPolicy tls, Credentials credentials, boolean allowAuthWithoutTls,
        Timeouts timeouts) {

    public enum TlsPolicy {
        /** Never STARTTLS. */
        NONE,
        /**
         * STARTTLS when the server offers it, without checking its certificate (RFC 7435: encryption
         * against passive listeners, as MTAs do it); in clear text when the server does not offer it.
         */
        OPPORTUNISTIC,
        /** STARTTLS or fail, still without checking the certificate (Postfix's "encrypt" level). */
        REQUIRED,
        /** TLS from the first byte (RFC 8314, port 465), without checking the certificate. */
        IMPLICIT
    }

    /** A SASL login, sent with AUTH PLAIN, or AUTH LOGIN when the server offers only that. */
    public record Credentials(String username, String password) {
        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=***]";
        }
    }

    /**
     * How long to wait at each step: for the server's next bytes when reading its reply, for each
     * block (up to 64 KiB) to leave when writing.
     *
     * @param hello the EHLO or HELO reply, and each step of AUTH
     * @param tls the STARTTLS reply and the TLS handshake
     * @param dataInitiation the reply to DATA (354)
     * @param dataBlock each block of the message
     * @param dataTermination the reply after the final dot
     * @param quit the reply to QUIT before the socket is closed anyway
     */
    public record Timeouts(Duration connect, Duration greeting, Duration hello, Duration tls, Duration mail, Duration rcpt,
            Duration dataInitiation, Duration dataBlock, Duration dataTermination, Duration quit) {
        public Timeouts {
            for (var timeout : List.of(connect, greeting, hello, tls, mail, rcpt, dataInitiation, dataBlock, dataTermination, quit)) {
                if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("an SMTP client timeout must be positive and under 24 days, got " + timeout);
                }
            }
        }

        /**
         * RFC 5321 §4.5.3.2: greeting 5 minutes, MAIL 5, RCPT 5, DATA 2, each data block 3, the reply
         * after the dot 10. The RFC names none for the rest: connect 30 seconds, EHLO 5 minutes,
         * STARTTLS and the handshake 2 minutes, QUIT 5 seconds (nothing is lost by not waiting).
         */
        public static Timeouts rfc5321() {
            return new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2),
                    Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10),
                    Duration.ofSeconds(5));
        }

        /** The same limit everywhere (tests). */
        public static Timeouts uniform(Duration timeout) {
            return new Timeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout);
        }
    }

    public ClientSettings {
        if (heloName == null || !heloName.matches("[\\x21-\\x7e]+")) {
            throw new IllegalArgumentException("the HELO name must be a name without spaces, got '" + heloName + "'");
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeouts, "timeouts");
        if (credentials != null && tls == TlsPolicy.NONE && !allowAuthWithoutTls) {
            throw new IllegalArgumentException("credentials without TLS would never be sent: allow AUTH without TLS, or use TLS");
        }
    }

    /** From the system's choice of address, opportunistic TLS, no login, the RFC's timeouts. */
    public static ClientSettings defaults(String heloName) {
        return new ClientSettings(null, heloName, TlsPolicy.OPPORTUNISTIC, null, false, Timeouts.rfc5321());
    }

    public ClientSettings withSource(InetAddress value) {
        return new ClientSettings(value, heloName, tls, credentials, allowAuthWithoutTls, timeouts);
    }

    public ClientSettings withTls(TlsPolicy value) {
        return new ClientSettings(source, heloName, value, credentials, allowAuthWithoutTls, timeouts);
    }

    public ClientSettings withCredentials(Credentials value) {
        return new ClientSettings(source, heloName, tls, value, allowAuthWithoutTls, timeouts);
    }

    public ClientSettings withAllowAuthWithoutTls(boolean value) {
        return new ClientSettings(source, heloName, tls, credentials, value, timeouts);
    }

    public ClientSettings withTimeouts(Timeouts value) {
        return new ClientSettings(source, heloName, tls, credentials, allowAuthWithoutTls, value);
    }
}
