package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A fake SMTP server for one connection, on 127.0.0.1, whose test writes each of its replies and
 * checks each line the client sends, in one virtual thread. Failed checks in the script surface in
 * {@link #finish}. Whatever the client has sent ahead stays unread until the script reads it, so a
 * script that reads a pipelined group before replying proves the group came first.
 */
final class ScriptedServer implements AutoCloseable {
    interface Script {
        void run(Peer peer) throws Exception;
    }

    private final ServerSocket listener;
    private final Thread thread;
    private volatile Socket connection;
    private volatile Throwable failure;

    ScriptedServer(Script script) throws IOException {
        this(null, script);
    }

    /** @param implicitTls when given, the connection is TLS from its first byte, as on port 465 */
    ScriptedServer(SSLContext implicitTls, Script script) throws IOException {
        listener = new ServerSocket();
        // small and fixed, so that a client writing to a script that does not read blocks soon, whatever the host's TCP tuning
        listener.setReceiveBufferSize(64 * 1024);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        thread = Thread.ofVirtual().name("scripted-smtp").start(() -> {
            try (var socket = accept(implicitTls)) {
                script.run(new Peer(socket));
            } catch (Throwable e) {
                failure = e;
            }
        });
    }

    private Socket accept(SSLContext implicitTls) throws IOException {
        Socket socket = listener.accept();
        socket.setSoTimeout(10_000);
        if (implicitTls != null) {
            var secure = (SSLSocket) implicitTls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            secure.setUseClientMode(false);
            secure.startHandshake();
            socket = secure;
        }
        connection = socket;
        return socket;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Waits for the script to end and rethrows what failed in it. */
    void finish() throws Exception {
        if (!thread.join(Duration.ofSeconds(10))) {
            throw new AssertionError("the server script did not finish");
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        var socket = connection;
        if (socket != null) {
            socket.close();
        }
        thread.join(Duration.ofSeconds(10));
    }

    /** The server's end of the connection. */
    static final class Peer {
        private static final long DOT_CRLF = '.' << 16 | '\r' << 8 | '\n';
        private static final long END = (long) '\r' << 32 | (long) '\n' << 24 | DOT_CRLF;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Sends text (UTF-8) in one write. */
        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The greeting, then the EHLO of client.example answered with these extensions. */
        void greetAndEhlo(String... extensions) throws IOException {
            send("220 mx.example.net ESMTP ready\r\n");
            expect("EHLO client.example");
            var reply = new StringBuilder("250" + (extensions.length == 0 ? " " : "-") + "mx.example.net\r\n");
            for (int i = 0; i < extensions.length; i++) {
                reply.append(i == extensions.length - 1 ? "250 " : "250-").append(extensions[i]).append("\r\n");
            }
            send(reply.toString());
        }

        /** The next line, without its CRLF (which it must have). */
        String line() throws IOException {
            var bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("the client closed the connection; read so far: " + bytes.toString(StandardCharsets.UTF_8));
                }
                bytes.write(b);
            }
            var line = bytes.toString(StandardCharsets.UTF_8);
            assertThat(line).as("a line ends with CRLF").endsWith("\r");
            return line.substring(0, line.length() - 1);
        }

        List<String> lines(int count) throws IOException {
            var lines = new ArrayList<String>();
            for (int i = 0; i < count; i++) {
                lines.add(line());
            }
            return lines;
        }

        void expect(String line) throws IOException {
            assertThat(line()).isEqualTo(line);
        }

        /** The bytes after 354, exactly as sent, through the final CRLF.CRLF (or a lone ".\r\n"). */
        byte[] data() throws IOException {
            var bytes = new ByteArrayOutputStream();
            long last = 0; // the last bytes read, the latest lowest
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed the connection within DATA");
                }
                bytes.write(b);
                last = last << 8 | b;
                boolean lone = bytes.size() == 3 && (last & 0xffffff) == DOT_CRLF;
                if (lone || bytes.size() >= 5 && (last & 0xffffffffffL) == END) {
                    return bytes.toByteArray();
                }
            }
        }

        /** Reads what has arrived, waiting for at least one byte. */
        void readSome() throws IOException {
            assertThat(in.read(new byte[64 * 1024])).isPositive();
        }

        /** Whether the client has sent bytes the script has not read. */
        boolean pending() throws IOException {
            return in.available() > 0;
        }

        /** QUIT answered with 221, then the client closes. */
        void quit() throws IOException {
            expect("QUIT");
            send("221 2.0.0 Bye\r\n");
            assertThat(rest()).isEmpty();
        }

        /** Everything the client sends until it closes the connection. */
        String rest() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        /** The host names the client asked for with SNI (implicit TLS). */
        List<String> sniNames() {
            var session = (ExtendedSSLSession) ((SSLSocket) socket).getSession();
            return session.getRequestedServerNames().stream().map(name -> ((SNIHostName) name).getAsciiName()).toList();
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
