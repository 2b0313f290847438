package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) and AUTH PLAIN / LOGIN (RFC 4954) with a client that trusts the server's self-signed certificate. */
class SmtpAuthTest {
    static final String HOST = "mail.mailroom.test";
    @TempDir
    static Path dir;
    static SSLContext tls;
    static X509Certificate certificate;
    private final RecordingHandler handler = new RecordingHandler();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void material() throws Exception {
        var material = TlsMaterial.selfSigned(dir, "submission", HOST, Clock.systemUTC());
        tls = material.sslContext();
        certificate = material.chain().getFirst();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (var closeable : open.reversed()) {
            closeable.close();
        }
    }

    private TestClient client(SmtpServer.Settings settings) throws Exception {
        var server = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), settings, tls, handler).start();
        open.add(server);
        var client = new TestClient(server.port());
        open.add(client);
        assertThat(client.reply().code()).isEqualTo(220);
        return client;
    }

    /** A client past EHLO, STARTTLS and EHLO again. */
    private TestClient secured(SmtpServer.Settings settings) throws Exception {
        var client = client(settings);
        client.command("EHLO client.example");
        assertThat(client.startTls(certificate, HOST).wire()).isEqualTo("220 2.0.0 Ready to start TLS\r\n");
        assertThat(client.command("EHLO client.example").code()).isEqualTo(250);
        return client;
    }

    private TestClient secured() throws Exception {
        return secured(SmtpServer.Settings.defaults(HOST));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void offersAuthOnlyAfterStartTlsAndForgetsWhatCameBefore() throws Exception {
        var client = client(SmtpServer.Settings.defaults(HOST));
        var ehlo = client.command("EHLO client.example");
        assertThat(ehlo.lines()).contains("STARTTLS").noneMatch(line -> line.startsWith("AUTH"));
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).wire())
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        assertThat(client.startTls(certificate, HOST).code()).isEqualTo(220);
        // RFC 3207 §4.2: the transaction and the EHLO are gone
        assertThat(client.command("RCPT TO:<b@example.net>").code()).isEqualTo(503);
        assertThat(client.command("MAIL FROM:<a@example.net>").wire()).isEqualTo("503 5.5.1 Send EHLO or HELO first\r\n");
        var secureEhlo = client.command("EHLO client.example");
        assertThat(secureEhlo.lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
        assertThat(client.command("STARTTLS").wire()).isEqualTo("503 5.5.1 TLS already active\r\n");
        assertThat(handler.events).startsWith("open plain").contains("open TLSv1.3");
    }

    @Test
    void authPlainWithAnInitialResponseOrAChallenge() throws Exception {
        handler.requireAuth = true;
        var client = secured();
        assertThat(client.command("MAIL FROM:<a@example.net>").wire()).isEqualTo("530 5.7.0 Authentication required\r\n");
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).wire()).isEqualTo("235 2.7.0 Authentication successful\r\n");
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).wire()).isEqualTo("503 5.5.1 Already authenticated\r\n");
        assertThat(client.command("MAIL FROM:<a@example.net>").code()).isEqualTo(250);
        client.command("RCPT TO:<b@example.net>");
        client.command("DATA");
        assertThat(client.command("Subject: over TLS\r\n\r\nhi\r\n.").code()).isEqualTo(250);

        var second = secured();
        assertThat(second.command("AUTH PLAIN").wire()).isEqualTo("334 \r\n");
        // an authorization identity equal to the login is fine
        assertThat(second.command(base64("alice\0alice\0secret")).code()).isEqualTo(235);
        assertThat(handler.events).filteredOn(event -> event.startsWith("auth")).containsExactly("auth alice secret true", "auth alice secret true");
    }

    @Test
    void authLoginAsksForNameThenPassword() throws Exception {
        var client = secured();
        assertThat(client.command("AUTH LOGIN").wire()).isEqualTo("334 VXNlcm5hbWU6\r\n");
        assertThat(client.command(base64("alice")).wire()).isEqualTo("334 UGFzc3dvcmQ6\r\n");
        assertThat(client.command(base64("secret")).wire()).isEqualTo("235 2.7.0 Authentication successful\r\n");

        var withName = secured();
        assertThat(withName.command("auth login " + base64("alice")).wire()).isEqualTo("334 UGFzc3dvcmQ6\r\n");
        assertThat(withName.command(base64("secret")).code()).isEqualTo(235);
    }

    @Test
    void refusesMalformedCancelledAndUnknownExchanges() throws Exception {
        var client = secured();
        client.command("AUTH LOGIN");
        assertThat(client.command("*").wire()).isEqualTo("501 5.0.0 Authentication cancelled\r\n");
        assertThat(client.command("AUTH PLAIN").code()).isEqualTo(334);
        assertThat(client.command("*").wire()).isEqualTo("501 5.0.0 Authentication cancelled\r\n");
        assertThat(client.command("AUTH PLAIN not*base64").wire()).isEqualTo("501 5.5.2 Invalid base64 or UTF-8 in authentication response\r\n");
        assertThat(client.command("AUTH PLAIN " + base64("alice\0secret")).wire()).isEqualTo("501 5.5.2 Malformed PLAIN response\r\n");
        assertThat(client.command("AUTH PLAIN " + base64("\0explode\0x")).wire()).isEqualTo("454 4.7.0 Temporary authentication failure\r\n");
        assertThat(client.command("AUTH CRAM-MD5").wire()).isEqualTo("504 5.5.4 Unrecognized authentication mechanism\r\n");
        assertThat(client.command("AUTH").wire()).isEqualTo("501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n");
        client.command("AUTH LOGIN");
        assertThat(client.command("x".repeat(13_000)).wire()).isEqualTo("500 5.5.6 Authentication exchange line is too long\r\n");
        client.command("MAIL FROM:<a@example.net>");
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).wire()).isEqualTo("503 5.5.1 AUTH not permitted during a mail transaction\r\n");
        client.command("RSET");
        client.command("HELO client.example");
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).wire()).isEqualTo("503 5.5.1 Send EHLO first\r\n");
        assertThat(handler.events).noneMatch(event -> event.startsWith("auth"));
    }

    @Test
    void closesTheConnectionAfterTooManyFailures() throws Exception {
        var client = secured(SmtpServer.Settings.defaults(HOST).withMaxAuthFailures(3));
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0wrong")).wire()).isEqualTo("535 5.7.8 Authentication credentials invalid\r\n");
        // acting for another identity is not offered: a failure too, without asking the handler
        assertThat(client.command("AUTH PLAIN " + base64("bob\0alice\0secret")).code()).isEqualTo(535);
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0guess")).wire())
                .isEqualTo("421 4.7.0 " + HOST + " Too many failed authentication attempts, closing connection\r\n");
        assertThat(client.closedByServer()).isTrue();
        assertThat(handler.events).filteredOn(event -> event.startsWith("auth")).containsExactly("auth alice wrong false", "auth alice guess false");
    }

    @Test
    void allowsAuthWithoutTlsOnLoopbackOnlyWhenSet() throws Exception {
        var client = client(SmtpServer.Settings.defaults(HOST).withLoopbackAuthWithoutTls(true));
        assertThat(client.command("EHLO client.example").lines()).contains("STARTTLS", "AUTH PLAIN LOGIN");
        assertThat(client.command("AUTH PLAIN " + base64("\0alice\0secret")).code()).isEqualTo(235);
    }

    @Test
    void discardsCommandsPipelinedAfterStartTls() throws Exception {
        var client = client(SmtpServer.Settings.defaults(HOST));
        client.command("EHLO client.example");
        // CVE-2011-0411: plaintext injected behind STARTTLS must not be obeyed inside TLS
        client.send("STARTTLS\r\nMAIL FROM:<evil@example.net>\r\nRCPT TO:<victim@example.org>\r\n");
        assertThat(client.startTlsHandshakeAfter(client.reply(), certificate, HOST).code()).isEqualTo(220);
        var ehlo = client.command("EHLO client.example");
        assertThat(ehlo.code()).isEqualTo(250);
        assertThat(ehlo.lines().getFirst()).isEqualTo(HOST);
        assertThat(client.command("RCPT TO:<b@example.net>").wire()).isEqualTo("503 5.5.1 Need MAIL before RCPT\r\n");
        assertThat(handler.events).noneMatch(event -> event.contains("evil") || event.contains("victim"));
    }
}
