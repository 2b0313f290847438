package dev.mailroom.submission;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.api.TestServer;
import dev.mailroom.interop.PackagedVerifiers;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission through swaks (STARTTLS, AUTH PLAIN and LOGIN, a network credential) and through
 * the API, the spooled messages checked by dkimverify as packaged. The client's DNS is knotd on
 * 127.0.0.1:53, where both Mailroom and dkimverify (in a private mount namespace) look.
 */
class SmtpSubmissionTest {
    private static final Path SWAKS = Path.of("/usr/bin/swaks");
    private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 [^\\r\\n]*queued as (msg_[0-9a-z]+)");

    @TempDir
    static Path dir;

    private static SendingFixture fixture;
    private static TestServer server;
    private static PackagedVerifiers verifiers;
    private static String username;
    private static String password;
    private static String tenantA;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SWAKS), "skipped: swaks is not installed (apt-get install swaks); .ci/run installs it");
        try (var probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 53))) {
            probe.getLocalPort();
        } catch (java.io.IOException e) {
            Assumptions.abort("skipped: needs root and a free 127.0.0.1:53 for the client's DNS (as in CI): " + e.getMessage());
        }
        verifiers = new PackagedVerifiers(Files.createDirectories(dir.resolve("verifiers")));
        fixture = SendingFixture.start(dir, null, 53, Map.of());
        server = fixture.server();
        tenantA = fixture.createTenant("Client A");
        var tenantB = fixture.createTenant("Client B");
        fixture.verifiedDomain(tenantA, "news.clienta.example", "marketing");
        fixture.verifiedDomain(tenantB, "b.clienta.example", "transactional");
        var credential = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenantA + "\"}");
        username = credential.text("username");
        password = credential.text("password");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Swaks(int exit, String transcript) {
        String queuedId() {
            var matcher = QUEUED.matcher(transcript);
            assertThat(matcher.find()).as(transcript).isTrue();
            return matcher.group(1);
        }
    }

    private static Swaks swaks(String... options) throws Exception {
        var command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port", Integer.toString(server.mailroom().smtpPort()),
                "--helo", "app.clienta.example", "--to", "ann@example.net", "--from", "app@clienta.example"));
        command.addAll(List.of(options));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var transcript = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Swaks(process.exitValue(), transcript);
    }

    private static String[] message(String from, String subject) {
        return new String[] {"--header", "From: Shop <" + from + ">", "--header", "Subject: " + subject, "--header", "X-Mailroom-Tag: spring",
                "--body", "Hello from swaks.\nSecond line."};
    }

    @Test
    void startTlsAndAuthPlainThenTheSpooledMessageVerifies() throws Exception {
        var options = new ArrayList<>(List.of("--tls", "--auth", "PLAIN", "--auth-user", username, "--auth-password", password, "--pipeline"));
        options.addAll(List.of(message("shop@news.clienta.example", "Via SMTP")));
        var sent = swaks(options.toArray(String[]::new));
        assertThat(sent.exit()).as(sent.transcript()).isZero();
        var id = sent.queuedId();
        var spooled = server.mailroom().spool().read(id).orElseThrow();
        assertThat(spooled.recipients()).containsExactly("ann@example.net");
        var text = new String(spooled.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("List-Unsubscribe: <https://t.news.clienta.example/u/").contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
                .contains("Feedback-ID: spring:marketing:").doesNotContain("X-Mailroom-Tag")
                .satisfies(t -> assertThat(t.replace("\r\n ", " ")).contains("Received: from app.clienta.example ([127.0.0.1]) by mx.test.example (Mailroom) with ESMTPSA id " + id));
        assertThat(verifiers.dkimverify(spooled.body())).containsExactly("pass", "pass");
        var verp = server.mailroom().verp();
        var target = verp.decode(verp.returnPath(id, 0, spooled.returnPathDomain())).orElseThrow();
        assertThat(spooled.recipients().get(target.recipientIndex())).isEqualTo("ann@example.net");
        assertThat(spooled.returnPathDomain()).isEqualTo("rp.news.clienta.example");
    }

    @Test
    void authLoginWorksAndBadPasswordsAndPlainTextAuthAreRefused() throws Exception {
        var options = new ArrayList<>(List.of("--tls", "--auth", "LOGIN", "--auth-user", username, "--auth-password", password));
        options.addAll(List.of(message("shop@news.clienta.example", "Login")));
        var sent = swaks(options.toArray(String[]::new));
        assertThat(sent.exit()).as(sent.transcript()).isZero();
        assertThat(server.mailroom().spool().read(sent.queuedId())).isPresent();

        var wrong = swaks("--tls", "--auth", "PLAIN", "--auth-user", username, "--auth-password", "wrong");
        assertThat(wrong.transcript()).contains("535 5.7.8");
        var cleartext = swaks("--auth", "PLAIN", "--auth-user", username, "--auth-password", password);
        assertThat(cleartext.exit()).isNotZero();
        var unauthenticated = swaks("--tls");
        assertThat(unauthenticated.transcript()).contains("530 5.7.0");
    }

    @Test
    void policyRefusalsCarryEnhancedCodes() throws Exception {
        var options = new ArrayList<>(List.of("--tls", "--auth", "PLAIN", "--auth-user", username, "--auth-password", password));
        options.addAll(List.of(message("x@b.clienta.example", "Not ours")));
        var refused = swaks(options.toArray(String[]::new));
        assertThat(refused.transcript()).contains("550 5.7.1").contains("b.clienta.example is not a sending domain of this tenant");
    }

    @Test
    void aNetworkCredentialSendsWithoutAuth() throws Exception {
        var created = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenantA + "\",\"networks\":[\"127.0.0.0/8\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            var sent = swaks(message("shop@news.clienta.example", "From the network"));
            assertThat(sent.exit()).as(sent.transcript()).isZero();
            assertThat(server.mailroom().spool().read(sent.queuedId())).isPresent();
        } finally {
            server.send("DELETE", "/v1/smtp-credentials/" + created.text("id"), ADMIN_KEY, null);
        }
    }

    @Test
    void aMessageSentThroughTheApiVerifiesToo() throws Exception {
        var key = fixture.key(tenantA, "\"send\"", null);
        var response = server.post("/v1/messages", key, "{\"from\":\"Zoë <zoe@news.clienta.example>\",\"to\":[\"ann@example.net\"],"
                + "\"subject\":\"Grüße\",\"text\":\"Hallo\",\"html\":\"<p>Hallo <a href=\\\"https://clienta.example/\\\">hier</a></p>\","
                + "\"track_clicks\":true,\"track_opens\":true}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var spooled = server.mailroom().spool().read(response.text("id")).orElseThrow();
        assertThat(verifiers.dkimverify(spooled.body())).containsExactly("pass", "pass");
        var opendkim = verifiers.opendkim(spooled.body());
        assertThat(opendkim.exit()).as(opendkim.output()).isZero();
    }
}
