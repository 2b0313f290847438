package dev.mailroom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while 32 writers append: every message whose append had returned (and could have been
 * acknowledged) is in the spool after a restart, whole.
 */
class SpoolCrashTest {
    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesSurviveKillNine() throws Exception {
        var java = ProcessHandle.current().info().command().orElse("java");
        var process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SpoolCrashHarness.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var acked = new HashSet<String>();
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
                acked.add(line.substring("acked ".length()));
            }
            // SIGKILL: no shutdown hook, no flush, no close (kill(1) rather than destroyForcibly, which closes our pipes)
            new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            while ((line = lines.readLine()) != null) {
                acked.add(line.substring("acked ".length())); // acks printed before the kill landed
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (var spool = Spool.open(dir)) {
            int stored = 0;
            for (var id : acked) {
                var message = spool.read(id);
                assertThat(message).as(id + " was acknowledged").isPresent();
                assertThat(message.get().body()).isEqualTo(SpoolTest.message(id, "r1@example.net", "r2@example.org").body());
                assertThat(spool.states(id)).hasSize(2);
                stored++;
            }
            System.out.printf("spool crash test: %d acknowledged before kill -9, %d found after restart, %d unfinished recipients%n",
                    acked.size(), stored, spool.pending().size());
        }
    }
}
