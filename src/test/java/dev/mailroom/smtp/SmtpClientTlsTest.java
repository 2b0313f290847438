package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.smtp.ClientSettings.Credentials;
import dev.mailroom.smtp.ClientSettings.Timeouts;
import dev.mailroom.smtp.ClientSettings.TlsPolicy;
import dev.mailroom.smtp.SmtpClientException.Failure;
import dev.mailroom.smtp.SmtpClientException.Stage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against Mailroom's own SMTP server: STARTTLS, AUTH, and messages that arrive byte for byte. */
class SmtpClientTlsTest {
    static final String HOST = "mail.mailroom.test";
    static final ClientSettings SETTINGS = ClientSettings.defaults("client.example").withTimeouts(Timeouts.uniform(Duration.ofSeconds(5)));
    @TempDir
    static Path dir;
    static SSLContext tls;
    private final RecordingHandler handler = new RecordingHandler();
    private final List<SSLSession> sessions = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void material() throws Exception {
        tls = TlsMaterial.selfSigned(dir, "mx", HOST, Clock.systemUTC()).sslContext();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private SmtpServer server(SmtpServer.Settings settings, SSLContext context) throws Exception {
        var server = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), settings, context, (remote, session) -> {
            if (session != null) {
                sessions.add(session);
            }
            return handler.open(remote, session);
        }).start();
        open.add(server);
        return server;
    }

    private SmtpClient client(SmtpServer server, ClientSettings settings, String serverName) throws SmtpClientException {
        var client = SmtpClient.open(settings, new InetSocketAddress("127.0.0.1", server.port()), serverName);
        open.add(client);
        return client;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void opportunisticTlsTakesAnyCertificateAndTheMessageArrivesByteForByte() throws Exception {
        var server = server(SmtpServer.Settings.defaults(HOST), tls);
        // the certificate is self-signed and names another host: opportunistic TLS takes it all the same
        var client = client(server, SETTINGS, "mx.other.example");
        assertThat(client.tls()).hasValueSatisfying(session -> assertThat(session.protocol()).isEqualTo("TLSv1.3"));
        assertThat(client.extensions().startTls()).isFalse();
        assertThat(client.extensions().auth()).containsExactlyInAnyOrder("PLAIN", "LOGIN");
        assertThat(((ExtendedSSLSession) sessions.getFirst()).getRequestedServerNames()).containsExactly(new SNIHostName("mx.other.example"));

        var message = bytes("From: a@clienta.example\r\nSubject: caf\u00e9\r\n\r\n.one dot\r\n..two dots\r\n.\r\n\u00e9t\u00e9 \u2603\r\n\r\n");
        var result = client.send("bounce@clienta.example", List.of("a@example.net", "refused@example.net", "b@example.org"), message);
        assertThat(result.replies()).extracting(SmtpReply::code).containsExactly(250, 550, 250);
        assertThat(result.rcpt().get(1)).isEqualTo(SmtpReply.of(550, "5.1.1", "No such user"));
        var transaction = handler.transactions.getFirst();
        assertThat(transaction.message()).isEqualTo(message);
        assertThat(transaction.recipients()).containsExactly("a@example.net", "b@example.org");
        assertThat(transaction.eightBit()).isTrue();
        assertThat(transaction.helo()).isEqualTo("client.example");

        // the same connection takes the next transaction
        var second = bytes("Subject: second\r\n\r\nno final line end");
        assertThat(client.send("", List.of("c@example.net"), second).replyFor(0)).isEqualTo(SmtpReply.ok("Queued as 2"));
        assertThat(handler.transactions.get(1).message()).isEqualTo(bytes("Subject: second\r\n\r\nno final line end\r\n"));
        assertThat(handler.transactions.get(1).reversePath()).isEmpty();
        assertThat(handler.events).startsWith("open plain", "open TLSv1.3");
    }

    @Test
    void requiredTlsFailsWhenTheServerOffersNoStartTls() throws Exception {
        var server = server(SmtpServer.Settings.defaults(HOST), null);
        var e = catchThrowableOfType(SmtpClientException.class, () -> client(server, SETTINGS.withTls(TlsPolicy.REQUIRED), "mx.example.net"));
        assertThat(e.stage()).isEqualTo(Stage.STARTTLS);
        assertThat(e.failure()).isEqualTo(Failure.TLS);
        assertThat(handler.events).containsExactly("open plain");
    }

    @Test
    void authPlainOverTlsOrOverLoopbackWhenAllowed() throws Exception {
        handler.requireAuth = true;
        var server = server(SmtpServer.Settings.defaults(HOST), tls);
        // an address literal is no name for SNI
        var client = client(server, SETTINGS.withTls(TlsPolicy.REQUIRED).withCredentials(new Credentials("alice", "secret")), "127.0.0.1");
        assertThat(((ExtendedSSLSession) sessions.getFirst()).getRequestedServerNames()).isEmpty();
        assertThat(client.send("bounce@clienta.example", List.of("a@example.net"), bytes("Subject: x\r\n\r\nhi\r\n")).replyFor(0).code()).isEqualTo(250);
        assertThat(handler.events).contains("auth alice secret true");

        var wrong = catchThrowableOfType(SmtpClientException.class,
                () -> client(server, SETTINGS.withCredentials(new Credentials("alice", "wrong")), "mx.example.net"));
        assertThat(wrong.stage()).isEqualTo(Stage.AUTH);
        assertThat(wrong.reply()).isEqualTo(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"));

        var plain = server(SmtpServer.Settings.defaults(HOST).withLoopbackAuthWithoutTls(true), null);
        var clear = client(plain, SETTINGS.withAllowAuthWithoutTls(true).withTls(TlsPolicy.NONE).withCredentials(new Credentials("alice", "secret")),
                "127.0.0.1");
        assertThat(clear.tls()).isEmpty();
        assertThat(clear.send("bounce@clienta.example", List.of("b@example.net"), bytes("hi\r\n")).replyFor(0).code()).isEqualTo(250);
    }

    @Test
    void aServerThatCloses421LeavesTheClientUnusable() throws Exception {
        var server = server(SmtpServer.Settings.defaults(HOST), tls);
        var client = client(server, SETTINGS, "mx.example.net");
        var result = client.send("bounce@clienta.example", List.of("a@example.net", "closing@example.net", "b@example.net"), bytes("hi\r\n"));
        var closing = SmtpReply.of(421, "4.3.0", "Going away");
        assertThat(result.replies()).containsExactly(closing, closing, closing);
        assertThat(result.rcpt().getFirst().code()).isEqualTo(250);
        assertThat(client.usable()).isFalse();
        assertThat(handler.transactions).isEmpty();
    }
}
