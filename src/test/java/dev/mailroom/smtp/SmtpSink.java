package dev.mailroom.smtp;

import java.io.IOException;
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
import java.util.Map;
import java.util.TreeMap;

/**
 * Postfix's {@code smtp-sink} (Debian package postfix) listening on one address, each transaction
 * dumped to a file of its own: the test reads what the sink saw (client address, HELO, MAIL and
 * RCPT arguments) and the message as it arrived.
 */
public final class SmtpSink implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/smtp-sink");
    private final Process process;
    private final Path dumps;
    private final String address;
    private final int port;

    /** One transaction as the sink dumped it. */
    public record Transaction(String clientAddress, String helo, String mailArgs, List<String> rcptArgs, String message) {}

    private SmtpSink(Process process, Path dumps, String address, int port) {
        this.process = process;
        this.dumps = dumps;
        this.address = address;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** A port free on every given address (the sinks of one test share delivery.mx_port). */
    public static int freePort(String... addresses) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate;
            try (var socket = new ServerSocket(0, 1, java.net.InetAddress.ofLiteral(addresses[0]))) {
                candidate = socket.getLocalPort();
            }
            boolean free = true;
            for (var address : addresses) {
                try (var socket = new ServerSocket(candidate, 1, java.net.InetAddress.ofLiteral(address))) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new IOException("no port free on all of " + List.of(addresses));
    }

    /** Starts a sink on {@code address:port} with extra smtp-sink options (e.g. {@code -f rcpt -B "550 5.1.1 ..."}). */
    public static SmtpSink start(Path dir, String address, int port, String... options) throws Exception {
        var dumps = Files.createDirectories(dir.resolve("sink-" + address + "-" + System.nanoTime()));
        var command = new ArrayList<String>(List.of(BINARY.toString(), "-d", dumps + "/%M.", "-h", "sink-" + address));
        if (System.getProperty("user.name").equals("root")) {
            // smtp-sink drops root for the postfix user before it writes a dump: let that user reach the directory
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
            command.addAll(List.of("-u", "postfix"));
        }
        command.addAll(List.of(options));
        command.add(address + ":" + port);
        command.add("100");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("sink-" + address + ".log").toFile()).start();
        var sink = new SmtpSink(process, dumps, address, port);
        sink.awaitListening();
        return sink;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("smtp-sink on " + address + ":" + port + " exited with " + process.exitValue());
            }
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("smtp-sink on " + address + ":" + port + " did not start listening");
    }

    /** Every complete transaction so far. */
    public List<Transaction> transactions() throws IOException {
        var result = new ArrayList<Transaction>();
        try (var files = Files.list(dumps)) {
            for (var file : files.sorted().toList()) {
                parse(Files.readString(file, StandardCharsets.UTF_8)).ifPresent(result::add);
            }
        }
        return result;
    }

    public int count() throws IOException {
        return transactions().size();
    }

    /** Waits until exactly {@code count} transactions are complete, and returns them. */
    public List<Transaction> awaitTransactions(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var transactions = transactions();
            if (transactions.size() == count && files() == count) {
                return transactions;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " complete transactions at the sink, found " + transactions.size());
            }
            Thread.sleep(20);
        }
    }

    /** Dump files so far, complete or not: cheap enough to poll while thousands arrive. */
    public long files() throws IOException {
        try (var files = Files.list(dumps)) {
            return files.count();
        }
    }

    /** The sink's headers, then the message as received; a file still being written is skipped. */
    private static java.util.Optional<Transaction> parse(String dump) {
        var fields = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        var lines = dump.split("\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            var line = lines[i];
            if (line.startsWith("Received: ")) {
                // the sink's own Received field (with its continuation lines) ends its headers
                do {
                    i++;
                } while (i < lines.length && lines[i].startsWith("\t"));
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
            }
        }
        // a transaction still open (or cut off) has no final empty line yet
        if (i >= lines.length || !fields.containsKey("X-Client-Addr") || !dump.endsWith("\n\n")) {
            return java.util.Optional.empty();
        }
        var message = String.join("\n", java.util.Arrays.copyOfRange(lines, Math.min(i, lines.length), lines.length));
        return java.util.Optional.of(new Transaction(first(fields, "X-Client-Addr"), first(fields, "X-Helo-Args"), first(fields, "X-Mail-Args"),
                fields.getOrDefault("X-Rcpt-Args", List.of()), message));
    }

    private static String first(Map<String, List<String>> fields, String name) {
        var values = fields.get(name);
        return values == null ? null : values.get(0);
    }

    public String address() {
        return address;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
