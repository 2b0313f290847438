package dev.mailroom.smtp;

import dev.mailroom.smtp.ClientSettings.TlsPolicy;
import dev.mailroom.smtp.SmtpClientException.Failure;
import dev.mailroom.smtp.SmtpClientException.Stage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound SMTP connection (RFC 5321) to an MX host or a smarthost: opened with greeting,
 * EHLO, STARTTLS and AUTH as the {@link ClientSettings} ask, then any number of transactions, each
 * answered with every reply ({@link SendResult}), then QUIT. Transactions are pipelined when the
 * server offers PIPELINING (RFC 2920). Messages go byte for byte as given, dot-stuffed.
 *
 * <p>A 421 reply or a local failure leaves the connection unusable ({@link #usable()}); the caller
 * opens another. One thread uses a client at a time.
 */
public final class SmtpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpClient.class);
    /** The pipelined commands of a transaction, and a message, leave in writes of this size. */
    private static final int OUTPUT_BUFFER = 64 * 1024;
    /** RFC 6531 §3.4: what a recipient gets when its address needs SMTPUTF8 and the server lacks it. */
    private static final SmtpReply NEEDS_SMTPUTF8 = SmtpReply.of(553, "5.6.7",
            "Non-ASCII address needs SMTPUTF8, which the server does not offer (not sent)");
    private final ClientSettings settings;
    private final ClientSettings.Timeouts timeouts;
    private final String serverName;
    private final InetSocketAddress remote;
    private final Socket tcp = new Socket();
    /** The TCP socket, or the TLS socket over it. */
    private Socket socket;
    private ReplyReader in;
    private TimedOutput timed;
    private OutputStream out;
    private InetSocketAddress local;
    private SmtpReply greeting;
    private Extensions extensions = Extensions.NONE;
    private TlsInfo tls;
    /** Whether a session is open that can take a command: from the connection until a 421, a local failure or QUIT. */
    private boolean usable;

    /** The TLS session's protocol ("TLSv1.3") and cipher suite. */
    public record TlsInfo(String protocol, String cipherSuite) {}

    private SmtpClient(ClientSettings settings, InetSocketAddress remote, String serverName) {
        this.settings = settings;
        this.timeouts = settings.timeouts();
        this.remote = remote;
        this.serverName = serverName;
    }

    /**
     * Connects from {@code settings.source()} to {@code server} and opens the session: greeting,
     * EHLO (HELO if EHLO is refused), STARTTLS and EHLO again as the TLS policy asks, AUTH when
     * there are credentials.
     *
     * @param server a resolved address; this client does no DNS
     * @param serverName the host's name, for SNI and messages: the MX name, or an address literal
     * @throws SmtpClientException when the session cannot be opened; the socket is closed
     */
    public static SmtpClient open(ClientSettings settings, InetSocketAddress server, String serverName) throws SmtpClientException {
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("the SMTP client connects to addresses, not names: " + server);
        }
        if (settings.source() != null && settings.source().getClass() != server.getAddress().getClass()) {
            throw new IllegalArgumentException("source " + settings.source() + " and server " + server + " are of different address families");
        }
        var client = new SmtpClient(settings, server, Objects.requireNonNull(serverName, "serverName"));
        try {
            client.connect();
            client.start();
            return client;
        } catch (SmtpClientException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void connect() throws SmtpClientException {
        try {
            tcp.setTcpNoDelay(true); // writes are ours to batch: Nagle would hold back the last bytes of each
            if (settings.source() != null) {
                tcp.bind(new InetSocketAddress(settings.source(), 0));
            }
        } catch (IOException e) {
            throw new SmtpClientException(Stage.CONNECT, Failure.SOURCE_ADDRESS, "cannot bind " + settings.source() + ": " + e.getMessage(), e);
        }
        try {
            tcp.connect(remote, millis(timeouts.connect()));
            local = (InetSocketAddress) tcp.getLocalSocketAddress();
            streams(tcp);
            usable = true;
        } catch (IOException e) {
            throw lost(Stage.CONNECT, e);
        }
    }

    private void streams(Socket over) throws IOException {
        socket = over;
        timed = new TimedOutput(over.getOutputStream(), tcp, timeouts.hello());
        out = new BufferedOutputStream(timed, OUTPUT_BUFFER);
        in = new ReplyReader(over.getInputStream());
    }

    private void start() throws SmtpClientException {
        if (settings.tls() == TlsPolicy.IMPLICIT) {
            handshake();
        }
        greeting = readFinal(Stage.GREETING, timeouts.greeting());
        if (greeting.code() != 220) {
            throw new SmtpClientException(Stage.GREETING, greeting);
        }
        hello();
        if (settings.tls() == TlsPolicy.OPPORTUNISTIC || settings.tls() == TlsPolicy.REQUIRED) {
            if (extensions.startTls()) {
                startTls();
            } else if (settings.tls() == TlsPolicy.REQUIRED) {
                throw new SmtpClientException(Stage.STARTTLS, Failure.TLS, serverName + " offers no STARTTLS and TLS is required", null);
            }
        }
        if (settings.credentials() != null) {
            authenticate(settings.credentials());
        }
    }

    private void hello() throws SmtpClientException {
        write(Stage.EHLO, timeouts.hello(), "EHLO " + settings.heloName());
        var reply = readFinal(Stage.EHLO, timeouts.hello());
        if (reply.positive()) {
            extensions = Extensions.parse(reply);
            return;
        }
        // RFC 5321 §3.2: a server that does not know EHLO refuses it, and still takes HELO
        if (reply.code() / 100 == 5) {
            write(Stage.EHLO, timeouts.hello(), "HELO " + settings.heloName());
            reply = readFinal(Stage.EHLO, timeouts.hello());
            if (reply.positive()) {
                extensions = Extensions.NONE;
                return;
            }
        }
        throw new SmtpClientException(Stage.EHLO, reply);
    }

    private void startTls() throws SmtpClientException {
        write(Stage.STARTTLS, timeouts.tls(), "STARTTLS");
        var reply = readFinal(Stage.STARTTLS, timeouts.tls());
        if (reply.code() != 220) {
            if (settings.tls() == TlsPolicy.REQUIRED || !usable) {
                throw new SmtpClientException(Stage.STARTTLS, reply);
            }
            // RFC 3207 §4.1: the session goes on in clear text, as it would have without STARTTLS
            LOG.debug("{} refused STARTTLS ({}), going on without TLS", serverName, reply);
            return;
        }
        if (in.buffered()) {
            // whatever came with the 220 was written before TLS by anyone on the path; nothing of it is believed
            throw lost(Stage.STARTTLS, new ProtocolException("the server sent more than its 220 before the TLS handshake"));
        }
        handshake();
        // RFC 3207 §4.2: the server has forgotten the first EHLO, and may offer more now
        hello();
    }

    private void handshake() throws SmtpClientException {
        try {
            tcp.setSoTimeout(millis(timeouts.tls()));
            var secure = ClientTls.handshake(tcp, serverName);
            streams(secure);
            tls = new TlsInfo(secure.getSession().getProtocol(), secure.getSession().getCipherSuite());
        } catch (IOException e) {
            throw lost(Stage.TLS, e);
        }
    }

    private void authenticate(ClientSettings.Credentials credentials) throws SmtpClientException {
        if (tls == null && !settings.allowAuthWithoutTls()) {
            throw new SmtpClientException(Stage.AUTH, Failure.TLS, "credentials go only over TLS, and the session with " + serverName + " has none", null);
        }
        if (extensions.auth().contains("PLAIN")) {
            // RFC 4616: authorization identity (empty: the same), login, password; repeated if the server asks with 334
            var plain = base64("\0" + credentials.username() + "\0" + credentials.password());
            auth("AUTH PLAIN " + plain, plain);
        } else if (extensions.auth().contains("LOGIN")) {
            auth("AUTH LOGIN", base64(credentials.username()), base64(credentials.password()));
        } else {
            throw new SmtpClientException(Stage.AUTH, Failure.UNSUPPORTED,
                    serverName + " offers no AUTH PLAIN or LOGIN" + (extensions.auth().isEmpty() ? "" : ", only " + extensions.auth()), null);
        }
    }

    /** Sends an AUTH command, then each response as long as the server asks (334). */
    private void auth(String command, String... responses) throws SmtpClientException {
        write(Stage.AUTH, timeouts.hello(), command);
        var reply = read(Stage.AUTH, timeouts.hello());
        for (int i = 0; reply.code() == 334 && i < responses.length; i++) {
            write(Stage.AUTH, timeouts.hello(), responses[i]);
            reply = read(Stage.AUTH, timeouts.hello());
        }
        if (reply.code() / 100 == 3) {
            throw lost(Stage.AUTH, new ProtocolException("the server asks for more than the login: " + reply));
        }
        if (!reply.positive()) {
            throw new SmtpClientException(Stage.AUTH, reply);
        }
    }

    /**
     * One transaction: MAIL FROM, an RCPT TO per recipient, DATA and the message. With PIPELINING,
     * MAIL, the RCPTs and DATA go in one write and their replies are read after. A transaction that
     * failed is followed by RSET, so the connection serves the next.
     *
     * <p>MAIL carries SIZE when the server offers it, BODY=8BITMIME for a message with 8-bit bytes
     * when it offers that, and SMTPUTF8 when an address needs it (and it is offered). Without
     * 8BITMIME an 8-bit message goes as it is: converting it would break its DKIM signature, and
     * servers take 8-bit mail in practice. Without SMTPUTF8 a non-ASCII address cannot be sent: its
     * recipient gets a local 553 5.6.7, and a non-ASCII reverse path fails the whole transaction.
     *
     * @param reversePath the return path, "" for the null path
     * @param message the message, lines ending CRLF, sent exactly as given (dot-stuffed)
     * @throws SmtpClientException on a local failure (timeout, broken connection, unreadable reply);
     *     the client is then unusable, and no recipient has the message
     * @throws IllegalStateException when the client is no longer usable
     */
    public SendResult send(String reversePath, List<String> recipients, byte[] message) throws SmtpClientException {
        if (!usable) {
            throw new IllegalStateException("the connection to " + serverName + " is no longer usable");
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs a recipient");
        }
        checkAddress(reversePath);
        recipients.forEach(SmtpClient::checkAddress);
        var replies = new SmtpReply[recipients.size()];
        var sent = new ArrayList<Integer>(recipients.size());
        boolean utf8 = !ascii(reversePath);
        for (int i = 0; i < recipients.size(); i++) {
            if (ascii(recipients.get(i))) {
                sent.add(i);
            } else if (extensions.smtputf8()) {
                sent.add(i);
                utf8 = true;
            } else {
                replies[i] = NEEDS_SMTPUTF8;
            }
        }
        if (utf8 && !extensions.smtputf8()) {
            return new SendResult(recipients, NEEDS_SMTPUTF8, List.of(), null);
        }
        if (sent.isEmpty()) {
            return new SendResult(recipients, null, Arrays.asList(replies), null);
        }
        var commands = new ArrayList<String>();
        commands.add(mailCommand(reversePath, message, utf8));
        boolean pipelining = extensions.pipelining();
        if (pipelining) {
            sent.forEach(i -> commands.add("RCPT TO:<" + recipients.get(i) + ">"));
            commands.add("DATA");
        }
        write(Stage.MAIL, timeouts.mail(), commands);
        var mail = readFinal(Stage.MAIL, timeouts.mail());
        if (!mail.positive()) {
            if (pipelining && usable) {
                // the RCPTs and DATA that went with it get replies too, "need MAIL first", which tell nothing
                for (int i = 0; i < sent.size() && usable; i++) {
                    readFinal(Stage.RCPT, timeouts.rcpt());
                }
                dropData(usable ? read(Stage.DATA, timeouts.dataInitiation()) : null);
            }
            reset();
            return new SendResult(recipients, mail, List.of(), null);
        }
        int accepted = 0;
        for (int k = 0; k < sent.size(); k++) {
            if (!pipelining) {
                write(Stage.RCPT, timeouts.rcpt(), List.of("RCPT TO:<" + recipients.get(sent.get(k)) + ">"));
            }
            var reply = readFinal(Stage.RCPT, timeouts.rcpt());
            if (!usable) {
                // a 421: it stands for every recipient the server did not answer, and for DATA
                for (int rest = k; rest < sent.size(); rest++) {
                    replies[sent.get(rest)] = reply;
                }
                return new SendResult(recipients, mail, Arrays.asList(replies), accepted > 0 ? reply : null);
            }
            replies[sent.get(k)] = reply;
            accepted += reply.positive() ? 1 : 0;
        }
        if (accepted == 0) {
            dropData(pipelining ? read(Stage.DATA, timeouts.dataInitiation()) : null);
            reset();
            return new SendResult(recipients, mail, Arrays.asList(replies), null);
        }
        var data = data(pipelining, message);
        if (!data.positive()) {
            reset();
        }
        return new SendResult(recipients, mail, Arrays.asList(replies), data);
    }

    private String mailCommand(String reversePath, byte[] message, boolean utf8) {
        var command = new StringBuilder("MAIL FROM:<").append(reversePath).append('>');
        if (extensions.size().isPresent()) {
            command.append(" SIZE=").append(MessageData.size(message));
        }
        if (extensions.eightBitMime() && MessageData.eightBit(message)) {
            command.append(" BODY=8BITMIME");
        }
        if (utf8) {
            command.append(" SMTPUTF8");
        }
        return command.toString();
    }

    /** DATA (already sent when pipelining) and, on 354, the message: the reply that ends the transaction. */
    private SmtpReply data(boolean pipelining, byte[] message) throws SmtpClientException {
        if (!pipelining) {
            write(Stage.DATA, timeouts.dataInitiation(), List.of("DATA"));
        }
        var reply = read(Stage.DATA, timeouts.dataInitiation());
        if (reply.code() != 354) {
            if (reply.code() / 100 == 2 || reply.code() / 100 == 3) {
                throw lost(Stage.DATA, new ProtocolException("DATA answered with " + reply));
            }
            return reply;
        }
        timed.limit(timeouts.dataBlock());
        try {
            MessageData.write(message, out);
            out.flush();
        } catch (IOException e) {
            throw lost(Stage.DATA, e);
        }
        return readFinal(Stage.DATA, timeouts.dataTermination());
    }

    /**
     * After a pipelined DATA whose transaction failed: a server that still said 354 gets an empty
     * message, whose reply is dropped (RFC 2920 §3.1).
     */
    private void dropData(SmtpReply dataReply) throws SmtpClientException {
        if (dataReply != null && dataReply.code() == 354) {
            write(Stage.DATA, timeouts.dataBlock(), List.of("."));
            readFinal(Stage.DATA, timeouts.dataTermination());
        }
    }

    /** RSET after a failed transaction; a connection whose RSET fails is no longer used. */
    private void reset() {
        if (!usable) {
            return;
        }
        try {
            // the stage is only for the log line: RSET belongs to no transaction
            write(Stage.MAIL, timeouts.mail(), List.of("RSET"));
            if (!readFinal(Stage.MAIL, timeouts.mail()).positive()) {
                usable = false;
            }
        } catch (SmtpClientException e) {
            LOG.debug("RSET to {} failed: {}", serverName, e.getMessage());
        }
    }

    /** The server's greeting (220). */
    public SmtpReply greeting() {
        return greeting;
    }

    /** What the last EHLO reply offered; {@link Extensions#NONE} after HELO. */
    public Extensions extensions() {
        return extensions;
    }

    /** The TLS session, empty when the session is in clear text. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /** The address and port the connection was made from. */
    public InetSocketAddress localAddress() {
        return local;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public String serverName() {
        return serverName;
    }

    /** Whether the connection can take another transaction: false after a 421, a local failure or close. */
    public boolean usable() {
        return usable;
    }

    /** QUIT, waiting a short while for the 221, then closes the socket. Never throws. */
    @Override
    public void close() {
        boolean polite = usable;
        usable = false;
        if (polite) {
            try {
                put(timeouts.quit(), List.of("QUIT"));
                get(timeouts.quit());
            } catch (IOException e) {
                polite = false;
                LOG.debug("QUIT to {}: {}", serverName, e.toString());
            }
        }
        try {
            // a TLS socket sends its close_notify; when the session did not end well, the TCP socket is closed without one
            (polite && socket != null ? socket : tcp).close();
            tcp.close();
        } catch (IOException e) {
            LOG.debug("closing the connection to {}: {}", serverName, e.toString());
        }
    }

    private void write(Stage stage, Duration limit, String line) throws SmtpClientException {
        write(stage, limit, List.of(line));
    }

    private void write(Stage stage, Duration limit, List<String> lines) throws SmtpClientException {
        try {
            put(limit, lines);
        } catch (IOException e) {
            throw lost(stage, e);
        }
    }

    /** A reply that ends a step: a 3xx one has no place here. */
    private SmtpReply readFinal(Stage stage, Duration timeout) throws SmtpClientException {
        var reply = read(stage, timeout);
        if (reply.code() / 100 == 3) {
            throw lost(stage, new ProtocolException("unexpected " + reply));
        }
        return reply;
    }

    private SmtpReply read(Stage stage, Duration timeout) throws SmtpClientException {
        try {
            return get(timeout);
        } catch (IOException e) {
            throw lost(stage, e);
        }
    }

    private void put(Duration limit, List<String> lines) throws IOException {
        timed.limit(limit);
        for (var line : lines) {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    private SmtpReply get(Duration timeout) throws IOException {
        tcp.setSoTimeout(millis(timeout));
        var reply = in.read();
        if (reply.closes()) {
            usable = false;
        }
        return reply;
    }

    /** A local failure: the connection is closed, and the exception says what happened where. */
    private SmtpClientException lost(Stage stage, IOException e) {
        usable = false;
        boolean timeout = e instanceof SocketTimeoutException || timed != null && timed.expired();
        try {
            tcp.close();
        } catch (IOException closing) {
            e.addSuppressed(closing);
        }
        Failure failure;
        if (stage == Stage.TLS) {
            failure = Failure.TLS;
        } else if (timeout) {
            failure = Failure.TIMEOUT;
        } else if (e instanceof ProtocolException) {
            failure = Failure.PROTOCOL;
        } else if (stage == Stage.CONNECT) {
            failure = Failure.CONNECTION_REFUSED;
        } else {
            failure = Failure.CONNECTION_RESET;
        }
        var message = (timeout ? "timed out: " : "") + (e.getMessage() != null ? e.getMessage() : e.toString());
        return new SmtpClientException(stage, failure, message, e);
    }

    private static void checkAddress(String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("an address with a control character cannot go into an SMTP command");
            }
        }
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int millis(Duration duration) {
        return (int) duration.toMillis();
    }
}
