package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.Await;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.reputation.Warmup;
import dev.mailroom.reputation.WarmupSchedule;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
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
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A domain's daily warm-up cap, held by the scheduler across a day change, with nothing dropped. */
class WarmupSchedulingTest {
    private static final byte[] BODY = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
    @TempDir
    Path dir;

    @Test
    void theDailyCapHoldsExactlyAndTheRestGoesTheNextDay() throws Exception {
        // day 1 is the day the domain verified; it is 22:00 UTC on it
        var clock = new MutableClock(Instant.parse("2026-03-10T22:00:00Z"));
        try (var fixture = new TenancyFixture(TestDatabase.H2, clock); var spool = Spool.open(dir.resolve("spool"), clock)) {
            var tenant = fixture.tenants.create("Client A", Map.of());
            var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "mail.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
            fixture.database.jdbi().useHandle(h -> h.createUpdate("UPDATE domains SET status = 'VERIFIED', verified_at = :at WHERE id = :id")
                    .bind("at", Rows.timestamp(Instant.parse("2026-03-10T08:00:00Z"))).bind("id", domain.id()).execute());
            var warmup = new Warmup(fixture.database.jdbi(),
                    new Warmup.Settings(WarmupSchedule.parse("1-30:1000"), WarmupSchedule.parse("1:120,2:200"), WarmupSchedule.parse("1:50"), 100_000), clock);
            var ids = new ArrayList<String>();
            var messages = new ArrayList<SpooledMessage>();
            for (int m = 0; m < 300; m++) {
                ids.add("msg_" + m);
                messages.add(new SpooledMessage("msg_" + m, tenant.id(), domain.id(), "rp.example.com", List.of("r" + m + "@example.net"),
                        clock.instant(), null, 0, null, BODY));
            }
            spool.appendAll(messages);
            spool.markRecorded(ids);

            var sent = new ConcurrentHashMap<String, Integer>();
            var sentOnDay2 = new ConcurrentHashMap<String, Boolean>();
            var scheduler = new Scheduler(spool, new LocalRateLimiter(clock), null, TenantControls.NONE, 1000, warmup, clock);
            var day2 = Instant.parse("2026-03-11T00:00:00Z");
            scheduler.start(SchedulerTest.taking(recipient -> {
                sent.merge(recipient.messageId(), 1, Integer::sum);
                if (!clock.instant().isBefore(day2)) {
                    sentOnDay2.put(recipient.messageId(), true);
                }
                spool.complete(recipient, RecipientState.DELIVERED, 1, new byte[0]); // as delivery settles it
                scheduler.release(recipient);
            }), () -> {});
            try {
                Await.until("day 1's cap dispatched", Duration.ofSeconds(20), () -> sent.size() == 120);
                Await.until("the rest moved to midnight", Duration.ofSeconds(20),
                        () -> spool.due(tenant.id(), day2.toEpochMilli() - 1, 1000, SpooledMessage.LOWEST_PRIORITY, (a, b) -> false)
                                .nextDueMillis() == day2.toEpochMilli());
                Thread.sleep(1500); // the scheduler looks again meanwhile: nothing more today
                assertThat(sent).as("day 1: exactly its cap").hasSize(120);
                assertThat(warmup.progress(tenant.id(), domain.id()).usedToday()).isEqualTo(120);

                clock.advance(Duration.ofHours(3)); // 01:00 on day 2: cap 200, 180 waiting
                Await.until("the rest sent on day 2", Duration.ofSeconds(20), () -> sent.size() == 300);
                Thread.sleep(500);
                assertThat(sentOnDay2).hasSize(180);
                assertThat(sent.values()).as("every recipient once, none dropped").containsOnly(1);
                var progress = warmup.progress(tenant.id(), domain.id());
                assertThat(progress.day()).isEqualTo(2);
                assertThat(progress.capToday()).isEqualTo(200);
                assertThat(warmup.inWarmup(tenant.id())).isTrue();
            } finally {
                scheduler.close();
            }
            clock.advance(Duration.ofDays(1));
            assertThat(warmup.progress(tenant.id(), domain.id()).finished()).isTrue();
            assertThat(warmup.inWarmup(tenant.id())).as("day 3: past the schedule").isFalse();
        }
    }
}
