package dev.mailroom.dns;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Knot's kdig as an independent DNS client: asks one server and returns what it printed. */
public final class Kdig {
    static final Path KDIG = Path.of("/usr/bin/kdig");

    private Kdig() {}

    public static String ask(int port, String name, String type, String... options) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(KDIG), "skipped: kdig is not installed (apt-get install knot-dnsutils); .ci/run installs it");
        var command = new ArrayList<>(List.of(KDIG.toString(), "@127.0.0.1", "-p", String.valueOf(port), "+norec", "+timeout=3", "+retry=0"));
        command.addAll(List.of(options));
        command.addAll(List.of(name, type));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kdig did not finish");
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
