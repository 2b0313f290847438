package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swaks (Debian package swaks, Perl and OpenSSL) as an independent client: STARTTLS with the
 * self-signed certificate verified, AUTH PLAIN and LOGIN, PIPELINING. It runs with
 * {@code --server 127.0.0.1} and its own HELO, so it needs no DNS.
 */
class SwaksInteropTest {
    static final Path SWAKS = Path.of("/usr/bin/swaks");
    static final String HOST = "mail.mailroom.test";
    @TempDir
    static Path dir;
    static TlsMaterial material;
    private final RecordingHandler handler = new RecordingHandler();
    private SmtpServer server;

    record Run(int exit, String transcript) {}

    @BeforeAll
    static void material() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SWAKS), "skipped: swaks is not installed (apt-get install swaks)");
        material = TlsMaterial.selfSigned(dir, "submission", HOST, Clock.systemUTC());
    }

    @BeforeEach
    void start() throws Exception {
        handler.requireAuth = true;
        server = new SmtpServer(new InetSocketAddress("127.0.0.1", 0), SmtpServer.Settings.defaults(HOST), material.sslContext(), handler).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run swaks(String... options) throws Exception {
        var command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port", String.valueOf(server.port()),
                "--helo", "client.example", "--from", "sender@clienta.example", "--timeout", "20"));
        command.addAll(List.of(options));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("swaks did not finish");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void sendsOverStartTlsWithAuthPlainAndPipelining() throws Exception {
        var body = Files.writeString(dir.resolve("body.txt"), "Hello from swaks.\n.leading dot\n..two dots\n.\nend\n");
        var run = swaks("--to", "a@example.net,b@example.org", "--tls", "--tls-verify", "--tls-ca-path", dir.resolve("submission-cert.pem").toString(),
                "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "secret", "--pipeline",
                "--header", "Subject: swaks plain", "--body", "@" + body);
        assertThat(run.exit()).as(run.transcript()).isZero();
        assertThat(run.transcript()).contains("<~  235 2.7.0 Authentication successful");
        // pipelined: MAIL, both RCPTs and DATA went out before the first of their replies came back
        var transcript = run.transcript();
        assertThat(transcript.indexOf("~> DATA")).isLessThan(transcript.indexOf("<~  250 2.1.0 Sender OK"));
        var transaction = handler.transactions.getFirst();
        assertThat(transaction.helo()).isEqualTo("client.example");
        assertThat(transaction.reversePath()).isEqualTo("sender@clienta.example");
        assertThat(transaction.recipients()).containsExactly("a@example.net", "b@example.org");
        var message = new String(transaction.message(), StandardCharsets.UTF_8);
        assertThat(message).contains("Subject: swaks plain\r\n")
                // swaks stuffed the dots, the server took them out again
                .contains("\r\n\r\nHello from swaks.\r\n.leading dot\r\n..two dots\r\n.\r\nend\r\n");
        assertThat(handler.events).contains("open TLSv1.3", "auth alice secret true");
    }

    @Test
    void sendsOverStartTlsWithAuthLogin() throws Exception {
        var run = swaks("--to", "a@example.net", "--tls", "--auth", "LOGIN", "--auth-user", "alice", "--auth-password", "secret",
                "--header", "Subject: swaks login");
        assertThat(run.exit()).as(run.transcript()).isZero();
        assertThat(run.transcript()).contains("<~  334 VXNlcm5hbWU6", "<~  334 UGFzc3dvcmQ6", "<~  235 2.7.0");
        assertThat(new String(handler.transactions.getFirst().message(), StandardCharsets.UTF_8)).contains("Subject: swaks login\r\n");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        var run = swaks("--to", "a@example.net", "--tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "wrong");
        assertThat(run.exit()).isNotZero();
        assertThat(run.transcript()).contains("<~* 535 5.7.8 Authentication credentials invalid");
        assertThat(handler.transactions).isEmpty();
    }

    @Test
    void pipelinesWithoutTlsWhenNoLoginIsNeeded() throws Exception {
        handler.requireAuth = false;
        var run = swaks("--to", "a@example.net", "--pipeline", "--header", "Subject: swaks pipelined");
        assertThat(run.exit()).as(run.transcript()).isZero();
        assertThat(run.transcript()).contains("<-  250-PIPELINING", "<-  250 2.0.0 Queued as 1");
        assertThat(run.transcript().indexOf(" -> DATA")).isLessThan(run.transcript().indexOf("<-  250 2.1.0 Sender OK"));
        assertThat(handler.transactions).hasSize(1);
    }
}
