package dev.mailroom.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs DKIM verifiers as packaged — dkimverify (python3-dkim), opendkim-testmsg (opendkim-tools) —
 * in a private mount namespace whose /etc/resolv.conf names a DNS server the test runs on
 * 127.0.0.1:53, so that they fetch keys through the system resolver as they do in production.
 */
public final class PackagedVerifiers {
    static final Path DKIMVERIFY = Path.of("/usr/bin/dkimverify");
    static final Path OPENDKIM_TESTMSG = Path.of("/usr/sbin/opendkim-testmsg");
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private final Path dir;

    public PackagedVerifiers(Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(UNSHARE), "skipped: unshare is missing");
        this.dir = dir;
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n");
    }

    public record Run(int exit, String output) {}

    /** Runs a command on a message with /etc/resolv.conf pointing at 127.0.0.1. */
    public Run run(String command, byte[] message) throws Exception {
        var file = Files.write(Files.createTempFile(dir, "msg", ".eml"), message);
        var script = "mount --bind " + dir.resolve("resolv.conf") + " /etc/resolv.conf && exec " + command + " < " + file;
        var process = new ProcessBuilder(UNSHARE.toString(), "--mount", "sh", "-c", script).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("verifier did not finish: " + command);
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** dkimverify's verdict on each DKIM-Signature of a message, top to bottom: "pass" or "fail". */
    public List<String> dkimverify(byte[] message) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DKIMVERIFY), "skipped: dkimverify is not installed (apt-get install python3-dkim)");
        long count = new String(message, StandardCharsets.ISO_8859_1).lines().filter(line -> line.regionMatches(true, 0, "DKIM-Signature:", 0, 15)).count();
        var verdicts = new ArrayList<String>();
        for (int index = 0; index < count; index++) {
            var result = run("/usr/bin/python3 " + DKIMVERIFY + " --index " + index, message);
            verdicts.add(result.exit() == 0 && result.output().contains("signature ok") ? "pass" : "fail");
        }
        return verdicts;
    }

    public Run opendkim(byte[] message) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OPENDKIM_TESTMSG), "skipped: opendkim-testmsg is not installed (apt-get install opendkim-tools)");
        return run(OPENDKIM_TESTMSG.toString(), message);
    }

    /** The address a test's DNS server must listen on for the verifiers to reach it. */
    public static java.net.InetSocketAddress dnsAddress() {
        return new java.net.InetSocketAddress("127.0.0.1", 53);
    }
}
