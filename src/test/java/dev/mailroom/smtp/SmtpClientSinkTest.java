package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.smtp.ClientSettings.Timeouts;
import dev.mailroom.smtp.SmtpClientException.Failure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postfix's smtp-sink (Debian package postfix) as an independent server: it listens on 127.0.0.21,
 * the client sends from 127.0.0.22, and each transaction is dumped to a file with the client's
 * address, HELO and envelope as smtp-sink saw them. smtp-sink writes the dumped message with LF line
 * ends and its dots unstuffed.
 */
class SmtpClientSinkTest {
    static final Path SINK = Path.of("/usr/sbin/smtp-sink");
    static final InetAddress LISTEN = InetAddress.ofLiteral("127.0.0.21");
    static final InetAddress SOURCE = InetAddress.ofLiteral("127.0.0.22");
    static final ClientSettings SETTINGS = ClientSettings.defaults("client.example").withSource(SOURCE)
            .withTimeouts(Timeouts.uniform(Duration.ofSeconds(10)));
    @TempDir
    Path dir;
    private Path dumps;
    private Process sink;
    private int port;

    /** One dumped transaction. */
    record Dump(String clientAddr, String helo, String mailArgs, List<String> rcptArgs, String message) {
        static Dump read(Path file) throws IOException {
            String clientAddr = null;
            String helo = null;
            String mailArgs = null;
            var rcptArgs = new ArrayList<String>();
            var lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
            int i = 0;
            for (; !lines[i].startsWith("Received: "); i++) {
                var parts = lines[i].split(": ", 2);
                switch (parts[0]) {
                    case "X-Client-Addr" -> clientAddr = parts[1];
                    case "X-Helo-Args" -> helo = parts[1];
                    case "X-Mail-Args" -> mailArgs = parts[1];
                    case "X-Rcpt-Args" -> rcptArgs.add(parts[1]);
                    default -> {
                        // X-Client-Proto and the like
                    }
                }
            }
            do {
                i++;
            } while (lines[i].startsWith("\t"));
            return new Dump(clientAddr, helo, mailArgs, rcptArgs, String.join("\n", List.of(lines).subList(i, lines.length)));
        }
    }

    @BeforeAll
    static void installed() {
        Assumptions.assumeTrue(Files.isExecutable(SINK), "smtp-sink (Debian postfix) is not installed");
    }

    @AfterEach
    void stop() throws Exception {
        if (sink != null) {
            sink.destroy();
            if (!sink.waitFor(5, TimeUnit.SECONDS)) {
                sink.destroyForcibly().waitFor();
            }
        }
    }

    /** Starts smtp-sink on a free port of 127.0.0.21, dumping to {@link #dumps}. */
    private void start(String... options) throws Exception {
        dumps = Files.createDirectories(dir.resolve("dumps"));
        boolean root = System.getProperty("user.name").equals("root");
        if (root) {
            // smtp-sink drops root for -u's user before it writes a dump
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        var log = dir.resolve("smtp-sink.log");
        for (int attempt = 0; attempt < 5; attempt++) {
            port = freePort();
            var command = new ArrayList<>(List.of(SINK.toString()));
            if (root) {
                command.addAll(List.of("-u", "postfix"));
            }
            command.addAll(List.of(options));
            command.addAll(List.of("-d", dumps + "/%M.", LISTEN.getHostAddress() + ":" + port, "10"));
            sink = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (listening()) {
                return;
            }
            // the port was taken in the meantime: another
            sink.destroyForcibly().waitFor();
        }
        throw new AssertionError("smtp-sink did not start: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, LISTEN)) {
            return probe.getLocalPort();
        }
    }

    private boolean listening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.isAlive() && System.nanoTime() < deadline) {
            try (var probe = new Socket()) {
                probe.connect(new InetSocketAddress(LISTEN, port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private SmtpClient client() throws SmtpClientException {
        return SmtpClient.open(SETTINGS, new InetSocketAddress(LISTEN, port), "smtp-sink.test");
    }

    /** The dumps once there are {@code count} of them, each written whole (it ends with its empty line). */
    private List<Dump> dumps(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Path> files;
            try (var listing = Files.list(dumps)) {
                files = listing.sorted().toList();
            }
            boolean complete = files.size() == count
                    && files.stream().allMatch(file -> uncheckedRead(file).endsWith("\n\n"));
            if (complete) {
                var read = new ArrayList<Dump>();
                for (var file : files) {
                    read.add(Dump.read(file));
                }
                return read;
            }
            assertThat(System.nanoTime()).as("%d complete dumps, found %s", count, files).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String uncheckedRead(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
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
        assertThat(dump.clientAddr()).isEqualTo("127.0.0.22");
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
        assertThat(dumps).allSatisfy(dump -> assertThat(dump.clientAddr()).isEqualTo("127.0.0.22"));
        assertThat(dumps).extracting(Dump::message)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj(n -> "Subject: " + n + "\n\nmessage " + n + "\n\n").toList());
        assertThat(dumps).extracting(Dump::mailArgs)
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
