package dev.mailroom.spool;

import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * Run as its own process by {@link SpoolCrashTest}: appends messages from many virtual threads
 * and prints "acked <id>" for each the moment {@link Spool#append} returns, until killed.
 */
public final class SpoolCrashHarness {
    private SpoolCrashHarness() {}

    public static void main(String[] args) throws Exception {
        var spool = Spool.open(Path.of(args[0]));
        var out = System.out;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int writer = 0; writer < 32; writer++) {
                int w = writer;
                executor.submit(() -> {
                    for (int i = 0; ; i++) {
                        var id = "msg_" + w + "_" + i;
                        spool.append(SpoolTest.message(id, "r1@example.net", "r2@example.org"));
                        synchronized (out) {
                            out.println("acked " + id);
                            out.flush();
                        }
                    }
                });
            }
        }
    }
}
