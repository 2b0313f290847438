package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.store.Database;
import dev.mailroom.store.TestDatabase;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared count of a day's cap: blocks never add up past it, however many nodes reserve at once. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class WarmupLedgerTest {
    @Parameter
    TestDatabase kind;

    private TestDatabase.Instance instance;
    private Database database;

    @BeforeEach
    void open() {
        instance = kind.create();
        database = instance.open();
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void blocksUntilTheCapThenWhatIsLeftThenNothing() {
        var ledger = new WarmupLedger(database.jdbi());
        assertThat(ledger.reserve("domain:dom_a", "tnt_a", 20_000, 120, 50)).isEqualTo(50);
        assertThat(ledger.reserve("domain:dom_a", "tnt_a", 20_000, 120, 50)).isEqualTo(50);
        assertThat(ledger.reserve("domain:dom_a", "tnt_a", 20_000, 120, 50)).as("the rest below a block").isEqualTo(20);
        assertThat(ledger.reserve("domain:dom_a", "tnt_a", 20_000, 120, 50)).isZero();
        assertThat(ledger.used("domain:dom_a", 20_000)).isEqualTo(120);
        assertThat(ledger.reserve("domain:dom_a", "tnt_a", 20_001, 120, 50)).as("a new day starts from nothing").isEqualTo(50);
        assertThat(ledger.reserve("domain:dom_b", "tnt_a", 20_000, 7, 50)).isEqualTo(7);
        assertThat(ledger.usedBy("tnt_a", 20_000)).containsOnly(java.util.Map.entry("domain:dom_a", 120L), java.util.Map.entry("domain:dom_b", 7L));
        assertThat(ledger.usedBy("tnt_b", 20_000)).isEmpty();
    }

    @Test
    void twoNodesReservingAtOnceNeverPassTheCapBetweenThem() throws Exception {
        long cap = 1_003;
        // two nodes: each its own connections to the one database, reserving in blocks of 7 as fast as they can
        try (var other = instance.open(); var executor = Executors.newFixedThreadPool(2)) {
            var nodes = java.util.List.of(new WarmupLedger(database.jdbi()), new WarmupLedger(other.jdbi()));
            var start = new CountDownLatch(1);
            var results = new ArrayList<java.util.concurrent.Future<Long>>();
            for (var node : nodes) {
                results.add(executor.submit((Callable<Long>) () -> {
                    start.await();
                    long got = 0;
                    for (long block; (block = node.reserve("domain:dom_a", "tnt_a", 20_000, cap, 7)) > 0; ) {
                        got += block;
                    }
                    return got;
                }));
            }
            start.countDown();
            long first = results.get(0).get();
            long second = results.get(1).get();
            assertThat(first + second).as("exactly the cap, split %d + %d", first, second).isEqualTo(cap);
            assertThat(nodes.get(0).used("domain:dom_a", 20_000)).isEqualTo(cap);
        }
    }
}
