package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Await;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.reputation.WarmupSchedule;
import dev.mailroom.spool.QueuedRecipient;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Rows;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.MutableClock;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New source addresses' daily warm-up caps, held by the egress choice under the scheduler: a full
 * address gives way to its pool's others; when all are full the rest waits for midnight, none dropped.
 */
class IpWarmupSchedulingTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String NEW = "192.0.2.10";
    private static final String OLD = "192.0.2.11";
    /** It is 22:00 UTC on the day the new address joined its pool (its day 1). */
    private static final Instant START = Instant.parse("2026-03-10T22:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-03-11T00:00:00Z");
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private TenancyFixture fixture;
    private Spool spool;
    private PoolService pools;
    private PoolAssignments assignments;
    private Warmup warmup;
    private String tenantId;
    private String domainId;
    private Scheduler scheduler;
    /** Per recipient (message id), how often it went out and from which address. */
    private final Map<String, Integer> sent = new ConcurrentHashMap<>();
    private final Map<String, String> sentFrom = new ConcurrentHashMap<>();

    @BeforeEach
    void open() throws Exception {
        fixture = new TenancyFixture(TestDatabase.H2, clock);
        spool = Spool.open(dir.resolve("spool"), clock);
        pools = new PoolService(new PoolRepository(fixture.database.jdbi(), fixture.sealer), new Ids(clock), clock);
        assignments = new PoolAssignments(pools, fixture.tenants, fixture.domains, fixture.domainRepository, clock);
        var tenant = fixture.tenants.create("Client A", Map.of());
        tenantId = tenant.id();
        domainId = fixture.domains.add(Scope.AGENCY, tenantId, "mail.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain().id();
        // the domain itself is long warmed up: only the addresses' caps count here
        fixture.database.jdbi().useHandle(h -> h.createUpdate("UPDATE domains SET status = 'VERIFIED', verified_at = :at WHERE id = :id")
                .bind("at", Rows.timestamp(Instant.parse("2025-01-10T08:00:00Z"))).bind("id", domainId).execute());
        warmup = new Warmup(fixture.database.jdbi(), new Warmup.Settings(WarmupSchedule.parse("1-30:100000"),
                WarmupSchedule.parse("1:100000"), WarmupSchedule.parse("1:30,2:60"), 100_000), clock);
    }

    @AfterEach
    void close() throws Exception {
        if (scheduler != null) {
            scheduler.close();
        }
        spool.close();
        fixture.close();
    }

    /** A pool holding {@code addresses} (equal weights), the tenant's pool from now on. */
    private Pool poolOf(String... addresses) {
        var pool = pools.create("warm", PoolTier.PREMIUM, null);
        for (var address : addresses) {
            pools.addAddress(pool.id(), address, "out" + address.substring(address.lastIndexOf('.') + 1) + ".mail.example", null);
        }
        assignments.assignTenant(Scope.AGENCY, tenantId, pool.id());
        return pools.get(pool.id());
    }

    private void queue(int count) {
        var ids = new ArrayList<String>();
        var messages = new ArrayList<SpooledMessage>();
        for (int m = 0; m < count; m++) {
            ids.add("msg_" + m);
            messages.add(new SpooledMessage("msg_" + m, tenantId, domainId, "rp.example.com", List.of("r" + m + "@example.net"),
                    clock.instant(), null, 0, null, BODY));
        }
        spool.appendAll(messages);
        spool.markRecorded(ids);
    }

    /** The scheduler handing recipients to the pool's egress, as the router does; "delivery" settles each at once. */
    private void startDelivery() {
        var egress = new PoolEgress(assignments, warmup, "mailroom.example", new SplittableRandom(7));
        scheduler = new Scheduler(spool, new LocalRateLimiter(clock), null, TenantControls.NONE, 1000, warmup, clock);
        scheduler.start((recipient, now) -> switch (egress.egressFor(recipient, now)) {
            case EgressPolicy.Wait wait -> OptionalLong.of(wait.untilMillis());
            case EgressPolicy.Send send -> {
                sent.merge(recipient.messageId(), 1, Integer::sum);
                sentFrom.put(recipient.messageId(), send.egress().name());
                spool.complete(recipient, RecipientState.DELIVERED, 1, new byte[0]);
                scheduler.release(recipient);
                yield OptionalLong.empty();
            }
        }, () -> {});
    }

    private long from(String address) {
        return sentFrom.values().stream().filter(address::equals).count();
    }

    private Warmup.Progress progressOf(String poolId, String address) {
        return warmup.ipProgress(poolId).stream().filter(p -> p.id().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aFullNewAddressGivesWayToThePoolsOlderOne() throws Exception {
        var pool = poolOf(NEW, OLD);
        fixture.database.jdbi().useHandle(h -> h.createUpdate("UPDATE pool_addresses SET created_at = :at WHERE address = :address")
                .bind("at", Rows.timestamp(Instant.parse("2025-06-01T00:00:00Z"))).bind("address", OLD).execute());
        queue(200);
        startDelivery();

        Await.until("all 200 sent", Duration.ofSeconds(20), () -> sent.size() == 200);
        assertThat(from(NEW)).as("the new address: exactly its day-1 cap").isEqualTo(30);
        assertThat(from(OLD)).as("the rest through the old one").isEqualTo(170);
        assertThat(sent.values()).as("every recipient once").containsOnly(1);

        var fresh = progressOf(pool.id(), NEW);
        assertThat(fresh.kind()).isEqualTo("ip");
        assertThat(fresh.day()).isEqualTo(1);
        assertThat(fresh.capToday()).isEqualTo(30);
        assertThat(fresh.usedToday()).isEqualTo(30);
        assertThat(fresh.remaining()).isZero();
        var warmed = progressOf(pool.id(), OLD);
        assertThat(warmed.finished()).as("past its schedule: uncapped").isTrue();
        assertThat(warmed.capToday()).isNull();
        assertThat(warmed.usedToday()).as("an uncapped address costs the ledger nothing").isZero();
        assertThat(warmup.progress(tenantId)).extracting(Warmup.Progress::kind).containsExactly("domain", "ip", "ip");
        assertThat(warmup.inWarmup(tenantId)).as("the agency's addresses do not hold up the tenant's life cycle").isFalse();
    }

    @Test
    void whenEveryAddressIsFullTheRestWaitsForMidnightAndGoesTheNextDay() throws Exception {
        var pool = poolOf(NEW);
        queue(100);
        startDelivery();

        Await.until("day 1's cap sent", Duration.ofSeconds(20), () -> sent.size() == 30);
        Await.until("the rest moved to midnight", Duration.ofSeconds(20),
                () -> spool.due(tenantId, DAY2.toEpochMilli() - 1, 1000, SpooledMessage.LOWEST_PRIORITY, (a, b) -> false)
                        .nextDueMillis() == DAY2.toEpochMilli());
        Thread.sleep(1500); // the scheduler looks again meanwhile: nothing more today
        assertThat(sent).as("day 1: exactly the address's cap").hasSize(30);
        assertThat(progressOf(pool.id(), NEW).usedToday()).isEqualTo(30);

        clock.advance(Duration.ofHours(3)); // 01:00 on day 2: cap 60, 70 waiting
        Await.until("day 2's cap sent", Duration.ofSeconds(20), () -> sent.size() == 90);
        Thread.sleep(1500);
        assertThat(sent).as("day 2: exactly its cap more").hasSize(90);
        assertThat(progressOf(pool.id(), NEW).day()).isEqualTo(2);

        clock.advance(Duration.ofDays(1)); // day 3: past the schedule, no cap
        Await.until("the last 10 sent", Duration.ofSeconds(20), () -> sent.size() == 100);
        Thread.sleep(500);
        assertThat(sent.values()).as("every recipient once, none dropped").containsOnly(1);
        assertThat(from(NEW)).isEqualTo(100);
        assertThat(progressOf(pool.id(), NEW).finished()).isTrue();
    }

    @Test
    void retriesAndPoolsWithoutAddressesAreNotCapped() {
        var pool = poolOf(NEW);
        var address = pool.addresses().getFirst();
        long now = clock.millis();
        for (int i = 0; i < 30; i++) {
            assertThat(warmup.admit(recipient(i, 0), address, now)).isEmpty();
        }
        assertThat(warmup.admit(recipient(30, 0), address, now)).as("a first attempt over the cap waits for midnight")
                .hasValue(DAY2.toEpochMilli());
        assertThat(warmup.admit(recipient(31, 1), address, now)).as("a retry is not counted again").isEmpty();

        // the default pool has no addresses: mail leaves from the machine's own, uncapped
        assignments.assignTenant(Scope.AGENCY, tenantId, Pool.DEFAULT_ID);
        var egress = new PoolEgress(assignments, warmup, "mailroom.example", new SplittableRandom(7));
        assertThat(egress.egressFor(recipient(32, 0), now)).isEqualTo(new EgressPolicy.Send(new Egress.Direct(null, "mailroom.example")));
    }

    private QueuedRecipient recipient(int n, int failedAttempts) {
        return new QueuedRecipient(tenantId, 0, clock.millis(), "msg_" + n, 0, "r" + n + "@example.net", failedAttempts, domainId,
                "rp.example.com", clock.instant());
    }
}
