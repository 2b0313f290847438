package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.smtp.ClientSettings.Credentials;
import dev.mailroom.smtp.ClientSettings.Timeouts;
import dev.mailroom.smtp.ClientSettings.TlsPolicy;
import dev.mailroom.smtp.SmtpClientException.Failure;
import dev.mailroom.smtp.SmtpClientException.Stage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's exact behaviour against a scripted server: commands, pipelining, bytes, replies, failures. */
class SmtpClientTest {
    static final ClientSettings PLAIN = ClientSettings.defaults("client.example").withTls(TlsPolicy.NONE)
            .withTimeouts(Timeouts.uniform(Duration.ofSeconds(5)));
    static final String FROM = "bounce-1@mail.clienta.example";
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private ScriptedServer server(ScriptedServer.Script script) throws Exception {
        var server = new ScriptedServer(script);
        open.add(server);
        return server;
    }

    private SmtpClient client(ScriptedServer server, ClientSettings settings) throws SmtpClientException {
        var client = SmtpClient.open(settings, server.address(), "mx.example.net");
        open.add(client);
        return client;
    }

    private SmtpClientException openFails(ScriptedServer server, ClientSettings settings) {
        return catchThrowableOfType(SmtpClientException.class, () -> client(server, settings));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(bytes(text));
    }

    @Test
    void pipelinesATransactionSendsTheExactBytesAndKeepsEveryReply() throws Exception {
        var message = bytes("Subject: dots\r\n\r\n.leading dot\r\n..two\r\n.\r\ncaf\u00e9, 8-bit\r\nlast line without CRLF");
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING", "8BITMIME", "SIZE 10000000", "ENHANCEDSTATUSCODES");
            // the whole group before any reply: a client waiting for the MAIL reply would never get here
            assertThat(peer.lines(4)).containsExactly("MAIL FROM:<" + FROM + "> SIZE=" + (message.length + 2) + " BODY=8BITMIME",
                    "RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>", "DATA");
            assertThat(peer.pending()).isFalse();
            peer.send("250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n550-5.1.1 No such user\r\n550 5.1.1 see the docs\r\n354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes(
                    "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n..\r\ncaf\u00e9, 8-bit\r\nlast line without CRLF\r\n.\r\n"));
            peer.send("250 2.0.0 Queued as 1\r\n");
            peer.quit();
        });
        var client = client(server, PLAIN);
        assertThat(client.greeting()).isEqualTo(SmtpReply.bare(220, "mx.example.net ESMTP ready"));
        assertThat(client.extensions()).satisfies(extensions -> {
            assertThat(extensions.pipelining()).isTrue();
            assertThat(extensions.eightBitMime()).isTrue();
            assertThat(extensions.smtputf8()).isFalse();
            assertThat(extensions.size()).hasValue(10_000_000);
        });
        assertThat(client.tls()).isEmpty();
        assertThat(client.localAddress().getAddress().isLoopbackAddress()).isTrue();

        var result = client.send(FROM, List.of("a@example.org", "b@example.org"), message);
        assertThat(result.mail()).isEqualTo(SmtpReply.of(250, "2.1.0", "Sender OK"));
        assertThat(result.rcpt()).containsExactly(SmtpReply.of(250, "2.1.5", "Recipient OK"), SmtpReply.of(550, "5.1.1", "No such user", "see the docs"));
        assertThat(result.data()).isEqualTo(SmtpReply.of(250, "2.0.0", "Queued as 1"));
        assertThat(result.replies()).containsExactly(result.data(), result.rcpt().get(1));
        assertThat(client.usable()).isTrue();
        client.close();
        assertThat(client.usable()).isFalse();
        server.finish();
    }

    @Test
    void afterEveryRecipientIsRefusedSendsNoMessageResetsAndGoesOn() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING");
            assertThat(peer.lines(4)).containsExactly("MAIL FROM:<" + FROM + ">", "RCPT TO:<x@example.org>", "RCPT TO:<y@example.org>", "DATA");
            peer.send("250 2.1.0 OK\r\n550 5.1.1 No such user\r\n550 5.1.1 No such user\r\n554 5.5.1 No valid recipients\r\n");
            peer.expect("RSET");
            peer.send("250 2.0.0 OK\r\n");
            // a server that says 354 all the same gets a lone dot (RFC 2920 §3.1)
            assertThat(peer.lines(3)).containsExactly("MAIL FROM:<" + FROM + ">", "RCPT TO:<x@example.org>", "DATA");
            peer.send("250 2.1.0 OK\r\n550 5.1.1 No such user\r\n354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes(".\r\n"));
            peer.send("554 5.5.1 No valid recipients\r\n");
            peer.expect("RSET");
            peer.send("250 2.0.0 OK\r\n");
            assertThat(peer.lines(3)).containsExactly("MAIL FROM:<" + FROM + ">", "RCPT TO:<z@example.org>", "DATA");
            peer.send("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes("Subject: third\r\n\r\nhi\r\n.\r\n"));
            peer.send("250 2.0.0 Queued\r\n");
            peer.quit();
        });
        var client = client(server, PLAIN);
        var message = bytes("Subject: third\r\n\r\nhi\r\n");
        var first = client.send(FROM, List.of("x@example.org", "y@example.org"), message);
        assertThat(first.data()).isNull();
        assertThat(first.replies()).extracting(SmtpReply::code).containsExactly(550, 550);
        var second = client.send(FROM, List.of("x@example.org"), message);
        assertThat(second.data()).isNull();
        assertThat(second.replyFor(0)).isEqualTo(SmtpReply.of(550, "5.1.1", "No such user"));
        var third = client.send(FROM, List.of("z@example.org"), message);
        assertThat(third.replyFor(0)).isEqualTo(SmtpReply.of(250, "2.0.0", "Queued"));
        client.close();
        server.finish();
    }

    @Test
    void withoutPipeliningSendsOneCommandAtATimeAndResetsAfterARefusedMail() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo("8BITMIME");
            peer.expect("MAIL FROM:<" + FROM + ">");
            assertThat(peer.pending()).isFalse();
            peer.send("550 5.7.1 Sender refused\r\n");
            peer.expect("RSET");
            peer.send("250 2.0.0 OK\r\n");
            peer.expect("MAIL FROM:<" + FROM + ">");
            assertThat(peer.pending()).isFalse();
            peer.send("250 2.1.0 OK\r\n");
            peer.expect("RCPT TO:<a@example.org>");
            assertThat(peer.pending()).isFalse();
            peer.send("250 2.1.5 OK\r\n");
            peer.expect("RCPT TO:<b@example.org>");
            assertThat(peer.pending()).isFalse();
            peer.send("550 5.1.1 No such user\r\n");
            peer.expect("DATA");
            peer.send("354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes("Subject: x\r\n\r\nhi\r\n.\r\n"));
            peer.send("250 2.0.0 Queued\r\n");
            peer.quit();
        });
        var client = client(server, PLAIN);
        var message = bytes("Subject: x\r\n\r\nhi\r\n");
        var refused = client.send(FROM, List.of("a@example.org", "b@example.org"), message);
        assertThat(refused.mail()).isEqualTo(SmtpReply.of(550, "5.7.1", "Sender refused"));
        assertThat(refused.rcpt()).isEmpty();
        assertThat(refused.data()).isNull();
        assertThat(refused.replies()).containsExactly(refused.mail(), refused.mail());
        var sent = client.send(FROM, List.of("a@example.org", "b@example.org"), message);
        assertThat(sent.replies()).extracting(SmtpReply::code).containsExactly(250, 550);
        client.close();
        server.finish();
    }

    @Test
    void asksForSmtputf8WhenAnAddressNeedsIt() throws Exception {
        var recipient = "\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a";
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING", "SMTPUTF8", "8BITMIME");
            // ASCII message: no BODY; no SIZE offered: none sent
            assertThat(peer.lines(3)).containsExactly("MAIL FROM:<" + FROM + "> SMTPUTF8", "RCPT TO:<" + recipient + ">", "DATA");
            peer.send("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n");
            peer.data();
            peer.send("250 2.0.0 Queued\r\n");
            peer.quit();
        });
        var client = client(server, PLAIN);
        assertThat(client.send(FROM, List.of(recipient), bytes("Subject: x\r\n\r\nhi\r\n")).replyFor(0).code()).isEqualTo(250);
        client.close();
        server.finish();
    }

    @Test
    void withoutSmtputf8OrEightBitMimeRefusesNonAsciiAddressesLocallyAndSendsEightBitAsItIs() throws Exception {
        var message = bytes("Subject: caf\u00e9\r\n\r\n\u00e9t\u00e9\r\n");
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING");
            assertThat(peer.lines(3)).containsExactly("MAIL FROM:<" + FROM + ">", "RCPT TO:<b@example.org>", "DATA");
            peer.send("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes("Subject: caf\u00e9\r\n\r\n\u00e9t\u00e9\r\n.\r\n"));
            peer.send("250 2.0.0 Queued\r\n");
            // the two transactions that follow send nothing
            peer.quit();
        });
        var client = client(server, PLAIN);
        var refusal = SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8, which the server does not offer (not sent)");
        var mixed = client.send(FROM, List.of("\u00e9l\u00e8ve@\u00e9cole.example", "b@example.org"), message);
        assertThat(mixed.rcpt()).containsExactly(refusal, SmtpReply.of(250, "2.1.5", "OK"));
        assertThat(mixed.replies()).containsExactly(refusal, SmtpReply.of(250, "2.0.0", "Queued"));
        var sender = client.send("r\u00e9ponse@clienta.example", List.of("b@example.org"), message);
        assertThat(sender.mail()).isEqualTo(refusal);
        assertThat(sender.replies()).containsExactly(refusal);
        var none = client.send(FROM, List.of("\u00e9l\u00e8ve@\u00e9cole.example"), message);
        assertThat(none.mail()).isNull();
        assertThat(none.replies()).containsExactly(refusal);
        assertThat(client.usable()).isTrue();
        client.close();
        server.finish();
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        var server = server(peer -> {
            peer.send("220 old.example.net SMTP\r\n");
            peer.expect("EHLO client.example");
            peer.send("502 5.5.1 Command not recognized\r\n");
            peer.expect("HELO client.example");
            peer.send("250 old.example.net\r\n");
            // no extensions: no parameters, one command at a time
            peer.expect("MAIL FROM:<" + FROM + ">");
            assertThat(peer.pending()).isFalse();
            peer.send("250 OK\r\n");
            peer.expect("RCPT TO:<a@example.org>");
            peer.send("250 OK\r\n");
            peer.expect("DATA");
            peer.send("354 Go ahead\r\n");
            assertThat(peer.data()).isEqualTo(bytes("\u00e9\r\n.\r\n"));
            peer.send("250 OK\r\n");
            peer.quit();
        });
        var client = client(server, PLAIN);
        assertThat(client.extensions()).isEqualTo(Extensions.NONE);
        var result = client.send(FROM, List.of("a@example.org"), bytes("\u00e9\r\n"));
        assertThat(result.replyFor(0)).isEqualTo(SmtpReply.bare(250, "OK"));
        client.close();
        server.finish();
    }

    @Test
    void aRefusedGreetingFailsTheOpenWithTheReply() throws Exception {
        var busy = server(peer -> {
            peer.send("421 4.3.2 Too busy, try again later\r\n");
            // a 421 closes the session: no QUIT
            assertThat(peer.rest()).isEmpty();
        });
        var e = openFails(busy, PLAIN);
        assertThat(e.stage()).isEqualTo(Stage.GREETING);
        assertThat(e.reply()).isEqualTo(SmtpReply.of(421, "4.3.2", "Too busy, try again later"));
        assertThat(e.failure()).isNull();
        busy.finish();

        var refusing = server(peer -> {
            peer.send("554 5.7.1 No SMTP service here\r\n");
            peer.quit();
        });
        assertThat(openFails(refusing, PLAIN).reply()).isEqualTo(SmtpReply.of(554, "5.7.1", "No SMTP service here"));
        refusing.finish();
    }

    @Test
    void a421MidTransactionStandsForEveryUnansweredReplyAndEndsTheConnection() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING");
            assertThat(peer.lines(5)).containsExactly("MAIL FROM:<" + FROM + ">", "RCPT TO:<a@example.org>", "RCPT TO:<b@example.org>",
                    "RCPT TO:<c@example.org>", "DATA");
            peer.send("250 2.1.0 OK\r\n550 5.1.1 No such user\r\n250 2.1.5 OK\r\n421 4.7.0 Try again later, closing connection\r\n");
            peer.close();
        });
        var client = client(server, PLAIN);
        var result = client.send(FROM, List.of("a@example.org", "b@example.org", "c@example.org"), bytes("x\r\n"));
        var closing = SmtpReply.of(421, "4.7.0", "Try again later, closing connection");
        assertThat(result.rcpt()).containsExactly(SmtpReply.of(550, "5.1.1", "No such user"), SmtpReply.of(250, "2.1.5", "OK"), closing);
        assertThat(result.data()).isEqualTo(closing);
        assertThat(result.replies()).containsExactly(result.rcpt().getFirst(), closing, closing);
        assertThat(client.usable()).isFalse();
        assertThatThrownBy(() -> client.send(FROM, List.of("a@example.org"), bytes("x\r\n"))).isInstanceOf(IllegalStateException.class);
        server.finish();
    }

    @Test
    void aServerThatStopsAnsweringTimesOut() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo();
            peer.expect("MAIL FROM:<" + FROM + ">");
            // no reply; the client gives up and closes without QUIT
            assertThat(peer.rest()).isEmpty();
        });
        var client = client(server, PLAIN.withTimeouts(Timeouts.uniform(Duration.ofMillis(300))));
        long start = System.nanoTime();
        var e = catchThrowableOfType(SmtpClientException.class, () -> client.send(FROM, List.of("a@example.org"), bytes("x\r\n")));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(e.stage()).isEqualTo(Stage.MAIL);
        assertThat(e.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(client.usable()).isFalse();
        client.close();
        server.finish();
    }

    @Test
    void aServerThatStopsReadingTimesTheMessageOut() throws Exception {
        var gaveUp = new CountDownLatch(1);
        var server = server(peer -> {
            peer.greetAndEhlo("PIPELINING");
            peer.lines(3);
            peer.send("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n");
            // reads nothing more: the message fills the socket buffers and the client's write blocks
            assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
        });
        var client = client(server, PLAIN.withTimeouts(Timeouts.uniform(Duration.ofMillis(300))));
        var message = bytes(("x".repeat(78) + "\r\n").repeat(200_000)); // 16 MB, more than the socket buffers hold
        var e = catchThrowableOfType(SmtpClientException.class, () -> client.send(FROM, List.of("a@example.org"), message));
        gaveUp.countDown();
        assertThat(e.stage()).isEqualTo(Stage.DATA);
        assertThat(e.failure()).isEqualTo(Failure.TIMEOUT);
        // the blocked write was cut, the client was not waiting for a reply
        assertThat(e.getCause()).isNotInstanceOf(SocketTimeoutException.class);
        server.finish();
    }

    @Test
    void aConnectionClosedWithoutAReplyIsReset() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo();
            peer.expect("MAIL FROM:<" + FROM + ">");
            peer.close();
        });
        var client = client(server, PLAIN);
        var e = catchThrowableOfType(SmtpClientException.class, () -> client.send(FROM, List.of("a@example.org"), bytes("x\r\n")));
        assertThat(e.stage()).isEqualTo(Stage.MAIL);
        assertThat(e.failure()).isEqualTo(Failure.CONNECTION_RESET);
        assertThat(client.usable()).isFalse();
        server.finish();
    }

    @Test
    void bytesThatAreNotAReplyAreAProtocolFailure() throws Exception {
        var garbage = server(peer -> {
            peer.send("hello there\r\n");
            assertThat(peer.rest()).isEmpty();
        });
        var e = openFails(garbage, PLAIN);
        assertThat(e.stage()).isEqualTo(Stage.GREETING);
        assertThat(e.failure()).isEqualTo(Failure.PROTOCOL);
        garbage.finish();

        var outOfPlace = server(peer -> {
            peer.greetAndEhlo();
            peer.expect("MAIL FROM:<" + FROM + ">");
            peer.send("354 Go ahead\r\n");
            assertThat(peer.rest()).isEmpty();
        });
        var client = client(outOfPlace, PLAIN);
        var e2 = catchThrowableOfType(SmtpClientException.class, () -> client.send(FROM, List.of("a@example.org"), bytes("x\r\n")));
        assertThat(e2.stage()).isEqualTo(Stage.MAIL);
        assertThat(e2.failure()).isEqualTo(Failure.PROTOCOL);
        outOfPlace.finish();

        var badCode = server(peer -> {
            peer.send("220 mx.example.net ESMTP\r\n");
            peer.expect("EHLO client.example");
            peer.send("250-mx.example.net\r\n600 PIPELINING\r\n");
            assertThat(peer.rest()).isEmpty();
        });
        var e3 = openFails(badCode, PLAIN);
        assertThat(e3.stage()).isEqualTo(Stage.EHLO);
        assertThat(e3.failure()).isEqualTo(Failure.PROTOCOL);
        badCode.finish();
    }

    @Test
    void nothingListeningIsConnectionRefusedAndAForeignSourceAddressCannotBeBound() throws Exception {
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var refused = catchThrowableOfType(SmtpClientException.class,
                () -> SmtpClient.open(PLAIN, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "127.0.0.1"));
        assertThat(refused.stage()).isEqualTo(Stage.CONNECT);
        assertThat(refused.failure()).isEqualTo(Failure.CONNECTION_REFUSED);

        // 192.0.2.1 (TEST-NET-1) is no address of this host
        var foreign = catchThrowableOfType(SmtpClientException.class, () -> SmtpClient.open(PLAIN.withSource(InetAddress.ofLiteral("192.0.2.1")),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "127.0.0.1"));
        assertThat(foreign.failure()).isEqualTo(Failure.SOURCE_ADDRESS);
    }

    @Test
    void opportunisticTlsGoesOnInClearTextWhenStartTlsIsRefusedAndRequiredTlsFails() throws Exception {
        var refusing = server(peer -> {
            peer.greetAndEhlo("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("454 4.7.0 TLS not available\r\n");
            peer.quit();
        });
        var client = client(refusing, PLAIN.withTls(TlsPolicy.OPPORTUNISTIC));
        assertThat(client.tls()).isEmpty();
        assertThat(client.usable()).isTrue();
        client.close();
        refusing.finish();

        var required = server(peer -> {
            peer.greetAndEhlo("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("454 4.7.0 TLS not available\r\n");
            peer.quit();
        });
        var e = openFails(required, PLAIN.withTls(TlsPolicy.REQUIRED));
        assertThat(e.stage()).isEqualTo(Stage.STARTTLS);
        assertThat(e.reply()).isEqualTo(SmtpReply.of(454, "4.7.0", "TLS not available"));
        required.finish();
    }

    @Test
    void aBrokenHandshakeIsATlsFailure() throws Exception {
        var server = server(peer -> {
            peer.greetAndEhlo("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 Ready to start TLS\r\n");
            peer.readSome(); // the ClientHello
            peer.send("this is not TLS\r\n");
            peer.close();
        });
        var e = openFails(server, PLAIN.withTls(TlsPolicy.OPPORTUNISTIC));
        assertThat(e.stage()).isEqualTo(Stage.TLS);
        assertThat(e.failure()).isEqualTo(Failure.TLS);
        server.finish();
    }

    @Test
    void repliesSentWithTheStartTlsReplyAreNotBelieved() throws Exception {
        // a man in the middle appends a reply for after the handshake to the server's 220 (CVE-2011-0411, client side)
        var server = server(peer -> {
            peer.greetAndEhlo("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 Ready to start TLS\r\n250-mx.example.net\r\n250 AUTH PLAIN\r\n");
            assertThat(peer.rest()).isEmpty();
        });
        var e = openFails(server, PLAIN.withTls(TlsPolicy.OPPORTUNISTIC));
        assertThat(e.stage()).isEqualTo(Stage.STARTTLS);
        assertThat(e.failure()).isEqualTo(Failure.PROTOCOL);
        server.finish();
    }

    @Test
    void implicitTlsFromTheFirstByteNamesTheServerWithSni(@TempDir Path dir) throws Exception {
        var material = TlsMaterial.selfSigned(dir, "smtps", "mx.example.net", Clock.systemUTC());
        var server = new ScriptedServer(material.sslContext(), peer -> {
            assertThat(peer.sniNames()).containsExactly("mx.example.net");
            peer.greetAndEhlo("PIPELINING");
            peer.quit();
        });
        open.add(server);
        var client = client(server, PLAIN.withTls(TlsPolicy.IMPLICIT));
        assertThat(client.tls()).hasValueSatisfying(tls -> assertThat(tls.protocol()).isEqualTo("TLSv1.3"));
        client.close();
        server.finish();
    }

    @Test
    void authLoginWhenThatIsAllTheServerOffers() throws Exception {
        var credentials = new Credentials("alice", "s\u00e9cret");
        var server = server(peer -> {
            peer.greetAndEhlo("AUTH LOGIN CRAM-MD5");
            peer.expect("AUTH LOGIN");
            peer.send("334 VXNlcm5hbWU6\r\n");
            peer.expect(base64("alice"));
            peer.send("334 UGFzc3dvcmQ6\r\n");
            peer.expect(base64("s\u00e9cret"));
            peer.send("235 2.7.0 Authentication successful\r\n");
            peer.quit();
        });
        client(server, PLAIN.withAllowAuthWithoutTls(true).withCredentials(credentials)).close();
        server.finish();
        assertThat(credentials.toString()).doesNotContain("s\u00e9cret");

        var unsupported = server(peer -> {
            peer.greetAndEhlo("AUTH CRAM-MD5");
            peer.quit();
        });
        var e = openFails(unsupported, PLAIN.withAllowAuthWithoutTls(true).withCredentials(credentials));
        assertThat(e.stage()).isEqualTo(Stage.AUTH);
        assertThat(e.failure()).isEqualTo(Failure.UNSUPPORTED);
        unsupported.finish();

        // credentials never go in clear text unless allowed
        var clear = server(peer -> {
            peer.greetAndEhlo("AUTH PLAIN LOGIN");
            peer.quit();
        });
        var noTls = openFails(clear, PLAIN.withTls(TlsPolicy.OPPORTUNISTIC).withCredentials(credentials));
        assertThat(noTls.stage()).isEqualTo(Stage.AUTH);
        assertThat(noTls.failure()).isEqualTo(Failure.TLS);
        clear.finish();
    }
}
