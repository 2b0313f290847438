package dev.mailroom.bench;

import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable appends per second to the spool, 4 KB messages with two recipients, each append
 * returning only once synced: run with many threads ({@code bench/spool.sh}) to see group commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SpoolAppendBenchmark {
    private static final byte[] BODY = new byte[4096];
    private final AtomicLong ids = new AtomicLong();
    private Path dir;
    private Spool spool;

    static {
        Arrays.fill(BODY, (byte) 'x');
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("spool-bench");
        spool = Spool.open(dir);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        spool.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public void append() throws InterruptedException {
        spool.append(new SpooledMessage("msg_" + ids.incrementAndGet(), "tnt_a", "dom_a", "rp.tx.clienta.example",
                List.of("r1@example.net", "r2@example.org"), Instant.now(), null, 0, null, BODY));
    }
}
