package dev.mailroom.smtp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One SMTP connection, from greeting to close: the command state machine, DATA, STARTTLS and AUTH. */
final class SmtpSession {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    /** RFC 5321 §4.5.3.1.4: a command line holds at most 512 octets with its CRLF. */
    static final int MAX_COMMAND_LINE = 512;
    /** RFC 4954 §4: a SASL response line may hold 12288 octets. */
    static final int MAX_SASL_LINE = 12288;
    private static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Local error, try again later");

    private final SmtpServer.Settings settings;
    private final SSLContext tlsContext;
    private final SubmissionHandler.Factory handlers;
    private final InetSocketAddress remote;
    private final byte[] commandLine = new byte[MAX_COMMAND_LINE];
    private Socket socket;
    private SmtpInput in;
    private OutputStream out;
    private SSLSession tls;
    private SubmissionHandler handler;
    private String helo;
    private boolean esmtp;
    private boolean authenticated;
    private int authFailures;
    private Envelope envelope;
    private boolean closing;

    /** The transaction between an accepted MAIL FROM and the end of DATA or RSET. */
    private record Envelope(String reversePath, boolean smtputf8, boolean eightBit, List<String> recipients) {}

    SmtpSession(Socket socket, SmtpServer.Settings settings, SSLContext tlsContext, SubmissionHandler.Factory handlers) {
        this.socket = socket;
        this.settings = settings;
        this.tlsContext = tlsContext;
        this.handlers = handlers;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    void run() throws IOException {
        try {
            socket.setSoTimeout((int) settings.idleTimeout().toMillis());
            streams();
            handler = handlers.open(remote, null);
            reply(SmtpReply.bare(220, settings.hostname() + " ESMTP ready"));
            while (!closing) {
                int length = in.readLine(commandLine);
                if (length < 0) {
                    return;
                }
                command(length);
            }
            out.flush();
        } catch (SocketTimeoutException e) {
            // RFC 5321 §4.5.3.2.7 lets the server close an idle connection; 421 tells the client why
            reply(SmtpReply.of(421, "4.4.2", settings.hostname() + " Idle too long, closing connection"));
            out.flush();
        } catch (RuntimeException e) {
            LOG.error("SMTP session with {} failed", remote, e);
            reply(SmtpReply.of(421, "4.3.0", settings.hostname() + " Local error, closing connection"));
            out.flush();
        }
    }

    private void streams() throws IOException {
        out = new BufferedOutputStream(socket.getOutputStream(), 4096);
        in = new SmtpInput(socket.getInputStream(), out);
    }

    private void reply(SmtpReply reply) throws IOException {
        out.write(reply.wire());
        if (reply.closes()) {
            closing = true;
        }
    }

    private void command(int length) throws IOException {
        if (length > MAX_COMMAND_LINE) {
            reply(SmtpReply.of(500, "5.5.2", "Line too long, the limit is " + MAX_COMMAND_LINE + " octets"));
            return;
        }
        try {
            var line = text(commandLine, length);
            int space = line.indexOf(' ');
            var verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            var argument = space < 0 ? "" : line.substring(space + 1);
            switch (verb) {
                case "EHLO" -> hello(argument, true);
                case "HELO" -> hello(argument, false);
                case "MAIL" -> mail(argument);
                case "RCPT" -> rcpt(argument);
                case "DATA" -> data(argument);
                case "RSET" -> {
                    noArgument(argument, "RSET");
                    envelope = null;
                    reply(SmtpReply.ok("OK"));
                }
                case "NOOP" -> reply(SmtpReply.ok("OK"));
                case "QUIT" -> {
                    noArgument(argument, "QUIT");
                    reply(SmtpReply.of(221, "2.0.0", settings.hostname() + " closing connection"));
                }
                case "VRFY" -> {
                    if (argument.isBlank()) {
                        throw new Refusal(501, "5.5.4", "Syntax: VRFY address");
                    }
                    reply(SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
                }
                case "EXPN" -> reply(SmtpReply.of(502, "5.5.1", "EXPN not implemented"));
                case "HELP" -> reply(SmtpReply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS AUTH"));
                case "STARTTLS" -> startTls(argument);
                case "AUTH" -> auth(argument);
                default -> reply(SmtpReply.of(500, "5.5.1", "Command unrecognized"));
            }
        } catch (Refusal refusal) {
            reply(refusal.reply());
        }
    }

    /** A line as text: CRLF-terminated, without other CR or LF, UTF-8 (RFC 6531 allows it in addresses). */
    private static String text(byte[] line, int length) throws Refusal {
        if (length < 2 || line[length - 2] != '\r') {
            throw new Refusal(500, "5.5.2", "Lines must end with CRLF");
        }
        for (int i = 0; i < length - 2; i++) {
            if (line[i] == '\r') {
                throw new Refusal(500, "5.5.2", "Bare CR in command");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line, 0, length - 2)).toString();
        } catch (CharacterCodingException e) {
            throw new Refusal(500, "5.5.2", "Command is not valid UTF-8");
        }
    }

    private static void noArgument(String argument, String verb) throws Refusal {
        if (!argument.isEmpty()) {
            throw new Refusal(501, "5.5.4", "Syntax: " + verb);
        }
    }

    private void hello(String argument, boolean extended) throws IOException, Refusal {
        var name = argument.strip();
        if (name.isEmpty()) {
            throw new Refusal(501, "5.5.4", "Syntax: " + (extended ? "EHLO" : "HELO") + " domain");
        }
        // RFC 5321 §4.1.4: a new EHLO/HELO resets the session like RSET
        helo = name;
        esmtp = extended;
        envelope = null;
        if (!extended) {
            reply(SmtpReply.bare(250, settings.hostname()));
            return;
        }
        var lines = new ArrayList<>(List.of(settings.hostname(), "PIPELINING", "SIZE " + settings.maxMessageBytes(), "8BITMIME",
                "SMTPUTF8", "ENHANCEDSTATUSCODES"));
        if (tlsContext != null && tls == null) {
            lines.add("STARTTLS");
        }
        if (authAllowed()) {
            lines.add("AUTH PLAIN LOGIN");
        }
        reply(new SmtpReply(250, null, lines));
    }

    /** Passwords travel only encrypted, except on loopback when the settings allow it. */
    private boolean authAllowed() {
        return tls != null || (settings.loopbackAuthWithoutTls() && remote.getAddress().isLoopbackAddress());
    }

    private void mail(String argument) throws IOException, Refusal {
        if (helo == null) {
            throw new Refusal(503, "5.5.1", "Send EHLO or HELO first");
        }
        if (envelope != null) {
            throw new Refusal(503, "5.5.1", "Nested MAIL command");
        }
        var path = PathArgument.parse(argument, "FROM:", "5.1.7");
        if (!esmtp && !path.params().isEmpty()) {
            throw new Refusal(555, "5.5.4", "Parameters need EHLO");
        }
        boolean smtputf8 = false;
        boolean eightBit = false;
        for (var param : path.params().entrySet()) {
            var value = param.getValue();
            switch (param.getKey()) {
                case "SIZE" -> {
                    if (value == null || !value.matches("[0-9]{1,18}")) {
                        throw new Refusal(501, "5.5.4", "Syntax: SIZE=octets");
                    }
                    if (Long.parseLong(value) > settings.maxMessageBytes()) {
                        throw tooBig();
                    }
                }
                case "BODY" -> {
                    if (value == null || !(value.equalsIgnoreCase("7BIT") || value.equalsIgnoreCase("8BITMIME"))) {
                        throw new Refusal(555, "5.5.4", "BODY is 7BIT or 8BITMIME");
                    }
                    eightBit = value.equalsIgnoreCase("8BITMIME");
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new Refusal(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    smtputf8 = true;
                }
                // RFC 4954 §5: a server offering AUTH takes this parameter; a submission server has no use for it
                case "AUTH" -> {
                }
                default -> throw new Refusal(555, "5.5.4", "Unsupported parameter " + param.getKey());
            }
        }
        requireAscii(path.address(), smtputf8);
        var answer = ask(() -> handler.mailFrom(path.address()), "MAIL FROM");
        if (answer.positive()) {
            envelope = new Envelope(path.address(), smtputf8, eightBit, new ArrayList<>());
        }
        reply(answer);
    }

    private Refusal tooBig() {
        return new Refusal(552, "5.3.4", "Message too big, the limit is " + settings.maxMessageBytes() + " octets");
    }

    private static void requireAscii(String address, boolean smtputf8) throws Refusal {
        if (!smtputf8 && !PathArgument.isAscii(address)) {
            throw new Refusal(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
        }
    }

    private void rcpt(String argument) throws IOException, Refusal {
        if (envelope == null) {
            throw new Refusal(503, "5.5.1", "Need MAIL before RCPT");
        }
        var path = PathArgument.parse(argument, "TO:", "5.1.3");
        if (path.address().isEmpty()) {
            throw new Refusal(501, "5.1.3", "A recipient cannot be <>");
        }
        if (!path.params().isEmpty()) {
            throw new Refusal(555, "5.5.4", "Unsupported parameter " + path.params().keySet().iterator().next());
        }
        requireAscii(path.address(), envelope.smtputf8());
        if (envelope.recipients().size() >= settings.maxRecipients()) {
            throw new Refusal(452, "4.5.3", "Too many recipients, the limit is " + settings.maxRecipients());
        }
        var answer = ask(() -> handler.rcptTo(path.address()), "RCPT TO");
        if (answer.positive()) {
            envelope.recipients().add(path.address());
        }
        reply(answer);
    }

    private void data(String argument) throws IOException, Refusal {
        noArgument(argument, "DATA");
        if (envelope == null) {
            throw new Refusal(503, "5.5.1", "Need MAIL before DATA");
        }
        if (envelope.recipients().isEmpty()) {
            throw new Refusal(554, "5.5.1", "No valid recipients");
        }
        var transaction = envelope;
        envelope = null;
        reply(SmtpReply.bare(354, "End data with <CR><LF>.<CR><LF>"));
        var message = readMessage();
        reply(ask(() -> handler.data(new SubmissionHandler.Transaction(helo, transaction.reversePath(), transaction.recipients(), message,
                transaction.smtputf8(), transaction.eightBit())), "DATA"));
    }

    /**
     * Reads the message to the lone dot, unstuffing dots (RFC 5321 §4.5.2). A message that breaks a
     * limit is read to its end all the same, so that the session stays in step, and then refused.
     */
    private byte[] readMessage() throws IOException, Refusal {
        int max = settings.maxMessageBytes();
        var line = new byte[settings.maxLineLength() + 3];
        var message = new byte[Math.min(max, 64 * 1024)];
        long size = 0;
        boolean longLine = false;
        boolean bareNewline = false;
        while (true) {
            int length = in.readLine(line);
            if (length < 0) {
                throw new EOFException("the client closed the connection during DATA");
            }
            if (length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
                break;
            }
            int skip = line[0] == '.' ? 1 : 0;
            size += length - skip;
            if (length > line.length || length - skip - 2 > settings.maxLineLength()) {
                longLine = true;
                continue;
            }
            bareNewline |= bareNewline(line, length);
            if (size <= max && !longLine && !bareNewline) {
                if (size > message.length) {
                    message = Arrays.copyOf(message, (int) Math.min(max, Math.max(size, 2L * message.length)));
                }
                System.arraycopy(line, skip, message, (int) size - (length - skip), length - skip);
            }
        }
        if (size > max) {
            throw tooBig();
        }
        if (longLine) {
            throw new Refusal(554, "5.6.0", "Message has a line longer than " + settings.maxLineLength() + " octets");
        }
        if (bareNewline) {
            throw new Refusal(554, "5.6.0", "Message has a bare CR or LF; lines must end with CRLF");
        }
        return Arrays.copyOf(message, (int) size);
    }

    /** Whether a line ends other than in CRLF or holds a CR elsewhere. */
    private static boolean bareNewline(byte[] line, int length) {
        if (length < 2 || line[length - 2] != '\r') {
            return true;
        }
        for (int i = 0; i < length - 2; i++) {
            if (line[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private void startTls(String argument) throws IOException, Refusal {
        noArgument(argument, "STARTTLS");
        if (tlsContext == null) {
            throw new Refusal(502, "5.5.1", "STARTTLS not available");
        }
        if (tls != null) {
            throw new Refusal(503, "5.5.1", "TLS already active");
        }
        reply(SmtpReply.of(220, "2.0.0", "Ready to start TLS"));
        out.flush();
        var secure = (SSLSocket) tlsContext.getSocketFactory().createSocket(socket, remote.getHostString(), remote.getPort(), true);
        secure.setUseClientMode(false);
        try {
            secure.startHandshake();
        } catch (SocketTimeoutException e) {
            // not an idle client to tell 421 in plaintext: the connection is mid-handshake
            throw new IOException("TLS handshake timed out", e);
        }
        socket = secure;
        // new streams drop the plaintext reader's buffer: commands pipelined behind STARTTLS are never obeyed (CVE-2011-0411)
        streams();
        tls = secure.getSession();
        // RFC 3207 §4.2: forget all the client said before TLS; the client starts again with EHLO
        helo = null;
        esmtp = false;
        envelope = null;
        authenticated = false;
        handler = handlers.open(remote, tls);
    }

    private void auth(String argument) throws IOException, Refusal {
        if (!esmtp) {
            throw new Refusal(503, "5.5.1", "Send EHLO first");
        }
        if (authenticated) {
            throw new Refusal(503, "5.5.1", "Already authenticated");
        }
        if (envelope != null) {
            throw new Refusal(503, "5.5.1", "AUTH not permitted during a mail transaction");
        }
        if (!authAllowed()) {
            throw new Refusal(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        var parts = argument.split(" ", -1);
        if (parts[0].isEmpty() || parts.length > 2) {
            throw new Refusal(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        var initial = parts.length == 2 ? parts[1] : null;
        String username;
        String password;
        switch (parts[0].toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> {
                // RFC 4616: [authzid] NUL authcid NUL passwd
                var fields = decode(initial != null ? initial : challenge("")).split("\0", -1);
                if (fields.length != 3 || fields[1].isEmpty()) {
                    throw new Refusal(501, "5.5.2", "Malformed PLAIN response");
                }
                if (!fields[0].isEmpty() && !fields[0].equals(fields[1])) {
                    // acting for another identity is not offered: that is a failed login
                    authFailed(fields[1]);
                    return;
                }
                username = fields[1];
                password = fields[2];
            }
            case "LOGIN" -> {
                username = decode(initial != null ? initial : challenge("VXNlcm5hbWU6"));
                password = decode(challenge("UGFzc3dvcmQ6"));
            }
            default -> throw new Refusal(504, "5.5.4", "Unrecognized authentication mechanism");
        }
        boolean accepted;
        try {
            accepted = handler.authenticate(username, password);
        } catch (RuntimeException e) {
            LOG.error("SMTP handler failed on AUTH from {}", remote, e);
            reply(SmtpReply.of(454, "4.7.0", "Temporary authentication failure"));
            return;
        }
        if (accepted) {
            authenticated = true;
            reply(SmtpReply.of(235, "2.7.0", "Authentication successful"));
        } else {
            authFailed(username);
        }
    }

    private void authFailed(String username) throws IOException {
        authFailures++;
        // control characters stripped: the name is the client's, the log line is ours
        LOG.info("SMTP AUTH failed for '{}' from {}", username.replaceAll("\\p{Cntrl}", "?"), remote.getAddress().getHostAddress());
        if (authFailures >= settings.maxAuthFailures()) {
            reply(SmtpReply.of(421, "4.7.0", settings.hostname() + " Too many failed authentication attempts, closing connection"));
        } else {
            reply(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"));
        }
    }

    /** Sends a 334 challenge and returns the client's answer; {@code *} cancels (RFC 4954 §4). */
    private String challenge(String challenge) throws IOException, Refusal {
        reply(SmtpReply.bare(334, challenge));
        var line = new byte[MAX_SASL_LINE];
        int length = in.readLine(line);
        if (length < 0) {
            throw new EOFException("the client closed the connection during AUTH");
        }
        if (length > MAX_SASL_LINE) {
            throw new Refusal(500, "5.5.6", "Authentication exchange line is too long");
        }
        var answer = text(line, length);
        if (answer.equals("*")) {
            throw new Refusal(501, "5.0.0", "Authentication cancelled");
        }
        return answer;
    }

    /** Base64 to UTF-8 text; "=" is the empty initial response (RFC 4954 §4). */
    private static String decode(String base64) throws Refusal {
        if (base64.equals("=")) {
            return "";
        }
        try {
            var bytes = Base64.getDecoder().decode(base64);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new Refusal(501, "5.5.2", "Invalid base64 or UTF-8 in authentication response");
        }
    }

    /** The handler's answer; a handler that fails or answers nonsense gets the client a transient failure. */
    private SmtpReply ask(Supplier<SmtpReply> question, String command) {
        try {
            var answer = question.get();
            if (answer == null || answer.code() / 100 == 3) {
                throw new IllegalStateException("the handler answered " + command + " with " + answer);
            }
            return answer;
        } catch (RuntimeException e) {
            LOG.error("SMTP handler failed on {} from {}", command, remote, e);
            return LOCAL_ERROR;
        }
    }
}
