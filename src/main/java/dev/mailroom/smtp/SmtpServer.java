package dev.mailroom.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SMTP server for message submission (RFC 5321, RFC 6409), one virtual thread per connection,
 * blocking I/O. It speaks the protocol and enforces the limits of {@link Settings}; what to accept
 * is up to the {@link SubmissionHandler} each connection gets.
 *
 * <p>ESMTP extensions: PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, STARTTLS (when
 * given TLS material) and AUTH PLAIN LOGIN (only after STARTTLS, or on loopback when the settings
 * allow). Message lines must end in CRLF: a message with a bare CR or LF is refused (554 5.6.0),
 * not repaired, so that the handler gets exactly the bytes the client sent and no two programs
 * disagree on where a message ends (SMTP smuggling).
 */
public final class SmtpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);
    /** Each DATA line is read into a buffer of this size: a sane bound for an operator's override of 998. */
    static final int MAX_LINE_LENGTH = 64 * 1024;
    private final Settings settings;
    private final SSLContext tls;
    private final SubmissionHandler.Factory handlers;
    private final ServerSocket listener;
    private final Semaphore connections;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    /** How long {@link #close} waits for sessions still handing a message to their handler. */
    static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);
    private volatile boolean closed;

    /**
     * The limits and names of a server.
     *
     * @param hostname the name in the greeting and the EHLO answer
     * @param maxMessageBytes the largest message taken, advertised as SIZE (RFC 1870)
     * @param maxRecipients recipients per message; more get 452 4.5.3 (RFC 5321 §4.5.3.1.10 asks for at least 100)
     * @param maxLineLength octets per message line without its CRLF (RFC 5322 §2.1.1: 998)
     * @param maxAuthFailures failed AUTH attempts before the connection is closed with 421 4.7.0
     * @param loopbackAuthWithoutTls whether clients on a loopback address may AUTH without STARTTLS
     * @param idleTimeout how long to wait for the client's next line (RFC 5321 §4.5.3.2.7: at least 5 minutes)
     * @param maxConnections concurrent connections; one more is told 421 4.3.2
     */
    public record Settings(String hostname, int maxMessageBytes, int maxRecipients, int maxLineLength, int maxAuthFailures,
            boolean loopbackAuthWithoutTls, Duration idleTimeout, int maxConnections) {
        public Settings {
            if (hostname == null || !hostname.matches("[\\x21-\\x7e]+")) {
                throw new IllegalArgumentException("the SMTP hostname must be a name without spaces, got '" + hostname + "'");
            }
            if (maxMessageBytes < 1 || maxRecipients < 1 || maxLineLength < 1 || maxAuthFailures < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("SMTP limits must be positive");
            }
            if (maxLineLength > MAX_LINE_LENGTH) {
                throw new IllegalArgumentException("the SMTP line length limit is at most " + MAX_LINE_LENGTH + " octets (RFC 5322 asks 998)");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the SMTP idle timeout must be positive and under 24 days, got " + idleTimeout);
            }
        }

        /** 10 MiB messages, 100 recipients, 998-octet lines, 3 AUTH failures, TLS for AUTH, 5 minutes idle, 100 connections. */
        public static Settings defaults(String hostname) {
            return new Settings(hostname, 10 * 1024 * 1024, 100, 998, 3, false, Duration.ofMinutes(5), 100);
        }

        public Settings withMaxMessageBytes(int value) {
            return new Settings(hostname, value, maxRecipients, maxLineLength, maxAuthFailures, loopbackAuthWithoutTls, idleTimeout, maxConnections);
        }

        public Settings withMaxRecipients(int value) {
            return new Settings(hostname, maxMessageBytes, value, maxLineLength, maxAuthFailures, loopbackAuthWithoutTls, idleTimeout, maxConnections);
        }

        public Settings withMaxLineLength(int value) {
            return new Settings(hostname, maxMessageBytes, maxRecipients, value, maxAuthFailures, loopbackAuthWithoutTls, idleTimeout, maxConnections);
        }

        public Settings withMaxAuthFailures(int value) {
            return new Settings(hostname, maxMessageBytes, maxRecipients, maxLineLength, value, loopbackAuthWithoutTls, idleTimeout, maxConnections);
        }

        public Settings withLoopbackAuthWithoutTls(boolean value) {
            return new Settings(hostname, maxMessageBytes, maxRecipients, maxLineLength, maxAuthFailures, value, idleTimeout, maxConnections);
        }

        public Settings withIdleTimeout(Duration value) {
            return new Settings(hostname, maxMessageBytes, maxRecipients, maxLineLength, maxAuthFailures, loopbackAuthWithoutTls, value, maxConnections);
        }

        public Settings withMaxConnections(int value) {
            return new Settings(hostname, maxMessageBytes, maxRecipients, maxLineLength, maxAuthFailures, loopbackAuthWithoutTls, idleTimeout, value);
        }
    }

    /**
     * Binds the listening socket; {@link #start} accepts connections.
     *
     * @param listen the address to listen on; port 0 picks a free port, see {@link #port}
     * @param tls the context for STARTTLS, or null to offer no STARTTLS (see {@link TlsMaterial})
     */
    public SmtpServer(InetSocketAddress listen, Settings settings, SSLContext tls, SubmissionHandler.Factory handlers) throws IOException {
        this.settings = settings;
        this.tls = tls;
        this.handlers = handlers;
        this.connections = new Semaphore(settings.maxConnections());
        this.listener = new ServerSocket(listen.getPort(), 128, listen.getAddress());
    }

    public SmtpServer start() {
        Thread.ofVirtual().name("smtp-accept").start(this::accept);
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var socket = listener.accept();
                sessions.add(Thread.ofVirtual().name("smtp-" + socket.getRemoteSocketAddress()).start(() -> serve(socket)));
                sessions.removeIf(thread -> !thread.isAlive());
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.warn("SMTP accept: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket socket) {
        sockets.add(socket);
        try (socket) {
            // close() may have passed over the set before this socket joined it
            if (closed) {
                return;
            }
            if (!connections.tryAcquire()) {
                socket.getOutputStream().write(SmtpReply.of(421, "4.3.2", settings.hostname() + " Too many connections, try again later").wire());
                return;
            }
            try {
                new SmtpSession(socket, settings, tls, handlers).run();
            } finally {
                connections.release();
            }
        } catch (IOException e) {
            LOG.debug("SMTP connection from {}: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            sockets.remove(socket);
        }
    }

    /** Stops listening and closes every open connection; a handler still at work finishes, but its reply is lost. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the SMTP listener", e);
        }
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing an SMTP connection", e);
            }
        }
        // a session inside its handler (spooling a message) finishes that before it notices; wait for it,
        // so whoever closes the server next may close what the handlers use
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (var session : sessions) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    session.join(java.time.Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
