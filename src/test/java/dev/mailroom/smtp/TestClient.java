package dev.mailroom.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A bare SMTP client on a plain socket: writes exactly the bytes a test gives and reads replies whole. */
final class TestClient implements AutoCloseable {
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Every reply read, in order, so a test can check them all at the end. */
    final List<Reply> replies = new CopyOnWriteArrayList<>();

    /** A reply as read: its code, its text lines (without the "250-" prefixes), and its wire form. */
    record Reply(int code, List<String> lines, String wire) {
        String text() {
            return String.join("\n", lines);
        }

        /** The enhanced status code at the start of the first line, or null. */
        String enhanced() {
            var first = lines.getFirst().split(" ", 2)[0];
            return ENHANCED.matcher(first).matches() ? first : null;
        }

        @Override
        public String toString() {
            return wire.strip();
        }
    }

    TestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one command line (CRLF added) and reads its reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    Reply reply() throws IOException {
        var lines = new ArrayList<String>();
        var wire = new StringBuilder();
        while (true) {
            var line = line();
            if (line == null) {
                throw new IOException("the server closed the connection; read so far: " + wire);
            }
            wire.append(line).append("\r\n");
            if (line.length() < 4 || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("not a reply line: " + line);
            }
            lines.add(line.substring(4));
            if (line.charAt(3) == ' ') {
                var reply = new Reply(Integer.parseInt(line.substring(0, 3)), lines, wire.toString());
                replies.add(reply);
                return reply;
            }
        }
    }

    /** Whether the server has closed the connection (nothing more to read). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    /** STARTTLS, then a TLS handshake over this socket trusting only {@code trusted}, checked against {@code hostname}. */
    Reply startTls(X509Certificate trusted, String hostname) throws Exception {
        return startTlsHandshakeAfter(command("STARTTLS"), trusted, hostname);
    }

    /** The TLS handshake after the server's reply to a STARTTLS the test sent itself; nothing happens unless it is 220. */
    Reply startTlsHandshakeAfter(Reply reply, X509Certificate trusted, String hostname) throws Exception {
        if (reply.code() != 220) {
            return reply;
        }
        var store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("server", trusted);
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        var secure = (SSLSocket) context.getSocketFactory().createSocket(socket, hostname, socket.getPort(), true);
        var parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        socket = secure;
        streams();
        return reply;
    }

    private String line() throws IOException {
        var bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                var line = bytes.toString(StandardCharsets.UTF_8);
                if (!line.endsWith("\r")) {
                    throw new IOException("reply line without CRLF: " + line);
                }
                return line.substring(0, line.length() - 1);
            }
            bytes.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
