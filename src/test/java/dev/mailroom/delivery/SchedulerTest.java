package dev.mailroom.delivery;

import dev.mailroom.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler over a real spool: bounded windows per tenant, priorities, releases and tenant rates. */
class SchedulerTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final DailyCaps NO_CAPS = (recipient, now) -> java.util.OptionalLong.empty();

    /** Delivery that takes every recipient it is handed (no address caps). */
    static Scheduler.Dispatch taking(java.util.function.Consumer<QueuedRecipient> taken) {
        return (recipient, now) -> {
            taken.accept(recipient);
            return java.util.OptionalLong.empty();
        };
    }
    @TempDir
    Path dir;

    private static void queue(Spool spool, String tenant, int priority, int messages, int recipientsEach) {
        var now = Instant.now();
        for (int from = 0; from < messages; from += 1000) {
            var batch = new ArrayList<SpooledMessage>();
            var ids = new ArrayList<String>();
            for (int m = from; m < Math.min(messages, from + 1000); m++) {
                var recipients = new ArrayList<String>(recipientsEach);
                for (int r = 0; r < recipientsEach; r++) {
                    recipients.add("r" + r + "@example.net");
                }
                var id = "msg_" + tenant + "_" + priority + "_" + m;
                ids.add(id);
                batch.add(new SpooledMessage(id, tenant, "dom", "rp.example.com", recipients, now, null, priority, null, BODY));
            }
            spool.appendAll(batch);
            spool.markRecorded(ids);
        }
    }

    @Test
    void aMillionQueuedRecipientsStayInTheSpoolButForEachTenantsWindow() throws Exception {
        try (var spool = Spool.open(dir)) {
            queue(spool, "tnt_big", 2, 100_000, 10);
            queue(spool, "tnt_small", 0, 5, 1);
            var dispatched = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
            var perTenant = new ConcurrentHashMap<String, Integer>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(Clock.systemUTC()), null, TenantControls.NONE, 1000, NO_CAPS, Clock.systemUTC());
            scheduler.start(taking(recipient -> {
                dispatched.add(recipient.messageId() + "/" + recipient.index());
                perTenant.merge(recipient.tenantId(), 1, Integer::sum);
            }), () -> {});
            try {
                Await.until("both tenants served", Duration.ofSeconds(20), () -> perTenant.getOrDefault("tnt_small", 0) == 5
                        && perTenant.getOrDefault("tnt_big", 0) == 1000);
                Thread.sleep(300);
                assertThat(perTenant.get("tnt_big")).as("a window, however long the backlog").isEqualTo(1000);
                assertThat(scheduler.held()).isEqualTo(1005);
                var runtime = Runtime.getRuntime();
                System.gc();
                System.out.printf("scheduler: 1,000,005 recipients queued in the spool, %d held in memory, heap in use %d MB%n",
                        scheduler.held(), (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024));
            } finally {
                scheduler.close();
            }
        }
    }

    @Test
    void aWindowFullOfBulkMailStillLetsTheTenantsTransactionalMailThrough() throws Exception {
        try (var spool = Spool.open(dir)) {
            queue(spool, "tnt_a", 2, 300, 1);
            var taken = new CopyOnWriteArrayList<QueuedRecipient>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(Clock.systemUTC()), null, TenantControls.NONE, 100, NO_CAPS, Clock.systemUTC());
            scheduler.start(taking(taken::add), () -> {});
            try {
                Await.until("a window of bulk mail", Duration.ofSeconds(10), () -> taken.size() == 100);
                // nothing is released: the bulk mail is stuck at a slow site
                queue(spool, "tnt_a", 0, 10, 1);
                scheduler.wake();
                Await.until("the transactional messages", Duration.ofSeconds(10), () -> taken.size() == 110);
                assertThat(taken.subList(100, 110)).allSatisfy(recipient -> assertThat(recipient.priority()).isZero());
            } finally {
                scheduler.close();
            }
        }
    }

    @Test
    void releasedPlacesAreRefilledAndTenantRatesHold() throws Exception {
        try (var spool = Spool.open(dir)) {
            queue(spool, "tnt_a", 2, 400, 1);
            var taken = new CopyOnWriteArrayList<QueuedRecipient>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(Clock.systemUTC()), new Rate(100, Duration.ofSeconds(1)), TenantControls.NONE, 100, NO_CAPS, Clock.systemUTC());
            scheduler.start(taking(taken::add), () -> {});
            try {
                Await.until("the first window", Duration.ofSeconds(10), () -> taken.size() == 100);
                List<QueuedRecipient> first = List.copyOf(taken);
                long start = System.nanoTime();
                // settle them, as delivery would: completed in the spool, then released
                for (var recipient : first) {
                    spool.complete(recipient, dev.mailroom.spool.RecipientState.DELIVERED, 1, new byte[0]);
                    scheduler.release(recipient);
                }
                Await.until("the second window", Duration.ofSeconds(10), () -> taken.size() == 200);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(taken.subList(100, 200)).doesNotContainAnyElementsOf(first);
                assertThat(seconds).as("100 more at 100/s after the first burst: about a second").isGreaterThan(0.5);
            } finally {
                scheduler.close();
            }
        }
    }

    @Test
    void aHeldTenantsMailWaitsWhileOthersFlowAndGoesOnceReleased() throws Exception {
        try (var spool = Spool.open(dir)) {
            queue(spool, "tnt_paused", 2, 50, 1);
            queue(spool, "tnt_other", 2, 50, 1);
            var held = new java.util.concurrent.atomic.AtomicBoolean(true);
            var controls = new TenantControls() {
                @Override
                public boolean holds(String tenantId) {
                    return held.get() && tenantId.equals("tnt_paused");
                }

                @Override
                public Rate rate(String tenantId, Rate configured) {
                    return configured;
                }
            };
            var taken = new CopyOnWriteArrayList<QueuedRecipient>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(Clock.systemUTC()), null, controls, 100, NO_CAPS, Clock.systemUTC());
            scheduler.start(taking(taken::add), () -> {});
            try {
                Await.until("the other tenant's mail", Duration.ofSeconds(10), () -> taken.size() == 50);
                Thread.sleep(300);
                assertThat(taken).extracting(QueuedRecipient::tenantId).containsOnly("tnt_other").hasSize(50);
                held.set(false);
                scheduler.wake();
                Await.until("the released tenant's mail", Duration.ofSeconds(10), () -> taken.size() == 100);
                assertThat(taken.subList(50, 100)).extracting(QueuedRecipient::tenantId).containsOnly("tnt_paused");
            } finally {
                scheduler.close();
            }
        }
    }

    @Test
    void aThrottledTenantGetsTheRateItsControlsGiveIt() throws Exception {
        try (var spool = Spool.open(dir)) {
            queue(spool, "tnt_slow", 2, 400, 1);
            queue(spool, "tnt_fast", 2, 400, 1);
            var controls = new TenantControls() {
                @Override
                public boolean holds(String tenantId) {
                    return false;
                }

                @Override
                public Rate rate(String tenantId, Rate configured) {
                    return tenantId.equals("tnt_slow") ? configured.halved(1) : configured;
                }
            };
            var taken = new ConcurrentHashMap<String, List<QueuedRecipient>>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(Clock.systemUTC()), new Rate(200, Duration.ofSeconds(1)), controls, 1000, NO_CAPS,
                    Clock.systemUTC());
            scheduler.start(taking(recipient -> taken.computeIfAbsent(recipient.tenantId(), t -> new CopyOnWriteArrayList<>()).add(recipient)), () -> {});
            try {
                Await.until("the fast tenant's 400", Duration.ofSeconds(10), () -> taken.getOrDefault("tnt_fast", List.of()).size() == 400);
                int slow = taken.getOrDefault("tnt_slow", List.of()).size();
                // 200 at once and 200/s for the fast tenant; 100 at once and 100/s for the throttled one
                assertThat(slow).as("the throttled tenant, while the other took 400").isBetween(150, 260);
            } finally {
                scheduler.close();
            }
        }
    }
}
