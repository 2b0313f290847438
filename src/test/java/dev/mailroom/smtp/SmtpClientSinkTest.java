package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.smtp.ClientSettings.Timeouts;
import dev.mailroom.smtp.SmtpClientException.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postfix's smtp-sink (Debian package postfix) as an independent server: it listens on 127.0.0.21,
 * the client sends from 127.0.0.22, and each transaction is dumped with the client's address, HELO
 * and envelope as smtp-sink saw them. smtp-sink writes the dumped message with LF line ends and its
 * dots unstuffed.
 */
class SmtpClientSinkTest {
    static final InetAddress LISTEN = InetAddress.ofLiteral("127.0.0.21");
    static final InetAddress SOURCE = InetAddress.ofLiteral("127.0.0.22");
    static final ClientSettings SETTINGS = ClientSettings.defaults("client.example").withSource(SOURCE)
            .withTimeouts(Timeouts.uniform(Duration.ofSeconds(10)));
    @TempDir
    Path dir;
    private SmtpSink sink;
    private int port;

    @BeforeAll
    static void installed() {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed");
    }

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    /** Starts smtp-sink on a free port of 127.0.0.21. */
    private void start(String... options) throws Exception {
        port = SmtpSink.freePort(LISTEN.getHostAddress());
        sink = SmtpSink.start(dir, LISTEN.getHostAddress(), port, options);
    }

    private SmtpClient client() throws SmtpClientException {
        return SmtpClient.open(SETTINGS, new InetSocketAddress(LISTEN, port), "smtp-sink.test");
    }

    private List<SmtpSink.Transaction> dumps(int count) throws Exception {
        return sink.awaitTransactions(count, Duration.ofSeconds(10));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sendsFromTheBoundSourceAddressWithItsHeloAndEnvelope() throws Exception {
        start();
        var message = "From: a@clienta.example\r\nSubject: caf\u00e9\r\n\r\n.one dot\r\n..two\r\n.\r\n\u00e9t\u00e9\r\n";
        try (var client = client()) {
            assertThat(client.localAddress().getAddress()).isEqualTo(SOURCE);
            assertThat(client.extensions().pipelining()).isTrue();
            assertThat(client.extensions().eightBitMime()).isTrue();
            var result = client.send("bounce@clienta.example", List.of("a@example.net", "b@example.org"), bytes(message));
            assertThat(result.replies()).extracting(SmtpReply::toString).containsExactly("250 2.0.0 Ok", "250 2.0.0 Ok");
        }
        var dump = dumps(1).getFirst();
        assertThat(dump.clientAddress()).isEqualTo("127.0.0.22");
        assertThat(dump.helo()).isEqualTo("client.example");
        assertThat(dump.mailArgs()).isEqualTo("<bounce@clienta.example> BODY=8BITMIME");
        assertThat(dump.rcptArgs()).containsExactly("<a@example.net>", "<b@example.org>");
        assertThat(dump.message()).isEqualTo(message.replace("\r\n", "\n") + "\n");
    }

    @Test
    void sendsAHundredMessagesOnOneConnection() throws Exception {
        start();
        try (var client = client()) {
            for (int n = 0; n < 100; n++) {
                var result = client.send("bounce-" + n + "@clienta.example", List.of("r" + n + "@example.net"), bytes("Subject: " + n + "\r\n\r\nmessage " + n + "\r\n"));
                assertThat(result.replyFor(0).code()).as("message %d", n).isEqualTo(250);
            }
            assertThat(client.usable()).isTrue();
        }
        var dumps = dumps(100);
        assertThat(dumps).allSatisfy(dump -> assertThat(dump.clientAddress()).isEqualTo("127.0.0.22"));
        assertThat(dumps).extracting(SmtpSink.Transaction::message)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(n -> "Subject: " + n + "\n\nmessage " + n + "\n\n").toList());
        assertThat(dumps).extracting(SmtpSink.Transaction::mailArgs)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(n -> "<bounce-" + n + "@clienta.example>").toList());
    }

    @Test
    void keepsEachRecipientsRefusalAndReusesTheConnection() throws Exception {
        // -f implies -p: no PIPELINING, one command at a time
        start("-f", "rcpt", "-B", "550 5.1.1 No such user");
        try (var client = client()) {
            assertThat(client.extensions().pipelining()).isFalse();
            for (int attempt = 0; attempt < 2; attempt++) {
                var result = client.send("bounce@clienta.example", List.of("a@example.net", "b@example.org"), bytes("hi\r\n"));
                assertThat(result.rcpt()).containsExactly(SmtpReply.of(550, "5.1.1", "No such user"), SmtpReply.of(550, "5.1.1", "No such user"));
                assertThat(result.data()).isNull();
                assertThat(client.usable()).isTrue();
            }
        }
    }

    @Test
    void a421ToMailEndsTheConnection() throws Exception {
        start("-Q", "mail");
        try (var client = client()) {
            var result = client.send("bounce@clienta.example", List.of("a@example.net", "b@example.org"), bytes("hi\r\n"));
            assertThat(result.mail().code()).isEqualTo(421);
            assertThat(result.replies()).containsExactly(result.mail(), result.mail());
            assertThat(client.usable()).isFalse();
        }
    }

    @Test
    void aServerThatHangsUpIsAReset() throws Exception {
        start("-q", "rcpt");
        try (var client = client()) {
            var e = catchThrowableOfType(SmtpClientException.class,
                    () -> client.send("bounce@clienta.example", List.of("a@example.net"), bytes("hi\r\n")));
            assertThat(e.failure()).isEqualTo(Failure.CONNECTION_RESET);
            assertThat(e.reply()).isNull();
        }
    }
}
