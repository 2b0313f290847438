package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.DnsSetup;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.events.MessageRecord;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.feedback.SoftBounces;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.SuppressionReason;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class OffboardingTest {
    private static final Duration RETENTION = Duration.ofDays(90);

    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T09:00:00Z"));
    private TenancyFixture fixture;
    private QueueOfTenants queue;
    private Offboarding offboarding;

    /** The queue as submission would answer for it: how many recipients each tenant has unfinished. */
    private static final class QueueOfTenants implements Offboarding.TenantQueue {
        final Map<String, Integer> unfinished = new java.util.HashMap<>();
        final List<String> cancelled = new ArrayList<>();
        boolean behind;

        @Override
        public int cancel(String tenantId) {
            if (behind) {
                throw new IllegalStateException("the database is behind with recording accepted mail; try again shortly");
            }
            cancelled.add(tenantId);
            var count = unfinished.getOrDefault(tenantId, 0);
            unfinished.remove(tenantId);
            return count;
        }

        @Override
        public boolean unfinished(String tenantId) {
            return unfinished.getOrDefault(tenantId, 0) > 0;
        }
    }

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind, clock);
        queue = new QueueOfTenants();
        offboarding = new Offboarding(fixture.tenants, new ArchiveRepository(fixture.database.jdbi(), fixture.events), queue, RETENTION,
                "pool_starter", clock);
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void offboardingWithCancelStopsTheTenantCancelsItsQueueAndTakesItOutOfItsPools() throws Exception {
        var tenant = fixture.tenants.create("Client A", Map.of());
        var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        fixture.domains.changePool(Scope.AGENCY, domain.id(), "pool_premium");
        queue.unfinished.put(tenant.id(), 3);

        var result = offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.CANCEL);

        assertThat(result.cancelledRecipients()).isEqualTo(3);
        assertThat(queue.cancelled).containsExactly(tenant.id());
        assertThat(result.tenant().status()).isEqualTo(TenantStatus.OFFBOARDED);
        assertThat(result.tenant().lifecycle()).isEqualTo(Lifecycle.OFFBOARDED);
        assertThat(result.tenant().pool()).as("nothing is left to deliver: it leaves its pool at once").isNull();
        assertThat(fixture.domains.get(Scope.AGENCY, domain.id()).domain().pool()).isNull();
        assertThat(result.archive()).isEqualTo(new Offboarding.Archive(tenant.id(), Offboarding.Queue.CANCEL, clock.instant(),
                clock.instant().plus(RETENTION), clock.instant()));
        var events = eventsOf(tenant.id());
        assertThat(events).extracting(dev.mailroom.events.Event::type).containsSubsequence("tenant.offboarded", "tenant.pool_changed");
        var offboarded = events.stream().filter(e -> e.type().equals("tenant.offboarded")).findFirst().orElseThrow();
        assertThat(offboarded.data()).containsEntry("queue", "cancel").containsEntry("archived_until", clock.instant().plus(RETENTION).toString());
        var moved = events.stream().filter(e -> e.type().equals("tenant.pool_changed")).findFirst().orElseThrow();
        assertThat(moved.data()).isEqualTo(Map.of("from", "pool_starter", "reason", "offboarded"));
    }

    @Test
    void offboardingTwiceIsAConflictAndOffboardedTenantsCannotBeSteered() throws Exception {
        var tenant = fixture.tenants.create("Client A", Map.of());
        offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.CANCEL);

        assertThatThrownBy(() -> offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.FINISH))
                .isInstanceOf(ConflictException.class).hasMessageContaining("offboarded already");
        assertThatThrownBy(() -> fixture.tenants.resume(Scope.AGENCY, tenant.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> offboarding.offboard(Scope.tenant("tnt_other"), tenant.id(), Offboarding.Queue.CANCEL))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void withFinishTheTenantKeepsItsPoolUntilItsQueueIsDelivered() throws Exception {
        var tenant = fixture.tenants.create("Client A", Map.of());
        queue.unfinished.put(tenant.id(), 2);

        var result = offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.FINISH);

        assertThat(queue.cancelled).isEmpty();
        assertThat(result.cancelledRecipients()).isZero();
        assertThat(result.tenant().pool()).isEqualTo("pool_starter");
        assertThat(result.archive().poolReleasedAt()).isNull();
        assertThat(offboarding.releaseDrainedPools()).isZero();
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isEqualTo("pool_starter");

        queue.unfinished.remove(tenant.id());
        clock.advance(Duration.ofHours(1));
        assertThat(offboarding.releaseDrainedPools()).isEqualTo(1);
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isNull();
        assertThat(offboarding.releaseDrainedPools()).as("released once").isZero();
    }

    @Test
    void aCancellationCutShortIsCompletedByTheSweepBeforeThePoolIsReleased() throws Exception {
        var tenant = fixture.tenants.create("Client A", Map.of());
        queue.unfinished.put(tenant.id(), 2);
        queue.behind = true;

        assertThatThrownBy(() -> offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.CANCEL))
                .isInstanceOf(IllegalStateException.class);
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).status()).as("sending stopped all the same").isEqualTo(TenantStatus.OFFBOARDED);
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isEqualTo("pool_starter");

        queue.behind = false;
        assertThat(offboarding.releaseDrainedPools()).isEqualTo(1);
        assertThat(queue.cancelled).containsExactly(tenant.id());
        assertThat(queue.unfinished(tenant.id())).isFalse();
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isNull();
    }

    @Test
    void restoreWithinTheRetentionBringsTheTenantBackAsItWas() throws Exception {
        var tenant = fixture.tenants.create("Client A", Map.of("crm", "42"));
        var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var agency = agencyKey();
        var key = fixture.keys.create(agency, tenant.id(), null, EnumSet.of(Permission.SEND));
        assertThatThrownBy(() -> offboarding.restore(Scope.AGENCY, tenant.id())).as("not offboarded").isInstanceOf(ConflictException.class);
        offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.CANCEL);

        clock.advance(RETENTION.minusMinutes(1));
        var restored = offboarding.restore(Scope.AGENCY, tenant.id());

        assertThat(restored.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(restored.lifecycle()).isEqualTo(Lifecycle.SETUP);
        assertThat(restored.pool()).isEqualTo("pool_starter");
        assertThat(restored.metadata()).isEqualTo(Map.of("crm", "42"));
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id())).isEqualTo(restored);
        assertThat(fixture.domains.get(Scope.AGENCY, domain.id()).domain().name()).isEqualTo("news.clienta.example");
        assertThat(fixture.keys.authenticate(key.secret())).as("its keys work again").isPresent();
        assertThat(eventsOf(tenant.id())).extracting(dev.mailroom.events.Event::type).contains("tenant.restored");
        clock.advance(Duration.ofDays(365));
        assertThat(offboarding.purgeExpired()).as("a restored tenant has no archive to end").isZero();
        // and it may leave again
        assertThat(offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.FINISH).tenant().status()).isEqualTo(TenantStatus.OFFBOARDED);
    }

    @Test
    void afterTheRetentionTheTenantsDataIsDeletedEverywhereAndItsDomainNameIsFree() throws Exception {
        var jdbi = fixture.database.jdbi();
        var tenant = fixture.tenants.create("Client A", Map.of());
        var other = fixture.tenants.create("Client B", Map.of());
        var domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var agency = agencyKey();
        fixture.keys.create(agency, tenant.id(), null, EnumSet.of(Permission.SEND));
        fixture.credentials.create(Scope.AGENCY, tenant.id(), null, null);
        var suppressions = new SuppressionList(jdbi, new Ids(clock), clock, (t, d) -> true);
        suppressions.add(Scope.AGENCY, tenant.id(), null, "gone@example.net", SuppressionReason.HARD_BOUNCE);
        new SoftBounces(jdbi, 5, Duration.ofDays(30), clock).record(tenant.id(), "soft@example.net", "msg_1");
        new MessageIndex(jdbi, fixture.events).record(List.of(new MessageRecord("msg_1", tenant.id(), domain.id(), "a@news.clienta.example",
                "Hello", "api", null, List.of(), Map.of(), List.of(), 100, clock.instant(),
                List.of(new MessageRecord.Recipient(0, 0, "b@example.net", RecipientStatus.QUEUED, null)))));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO webhooks (id, tenant_id, url, event_types, secret, status, created_at) "
                        + "VALUES ('wh_1', :tenant, 'https://hooks.example/', '', 'sealed', 'ACTIVE', :at)")
                .bind("tenant", tenant.id()).bind("at", dev.mailroom.store.Rows.timestamp(clock.instant())).execute());
        var untouched = rowsOf(other.id());
        offboarding.offboard(Scope.AGENCY, tenant.id(), Offboarding.Queue.CANCEL);
        assertThat(rowsOf(tenant.id())).as("archived: everything is still there").containsKeys("domains", "events", "messages",
                "suppressions", "soft_bounces", "api_keys", "smtp_credentials", "webhooks", "domain_names", "tenant_archives");

        clock.advance(RETENTION.minusSeconds(1));
        assertThat(offboarding.purgeExpired()).isZero();
        assertThat(rowsOf(tenant.id())).isNotEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> offboarding.restore(Scope.AGENCY, tenant.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("archive");
        assertThat(offboarding.purgeExpired()).isEqualTo(1);

        assertThat(rowsOf(tenant.id())).as("no row of the tenant anywhere").isEmpty();
        int keysLeft = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM dkim_keys").mapTo(Integer.class).one());
        assertThat(keysLeft).isZero();
        assertThat(rowsOf(other.id())).isEqualTo(untouched);
        assertThatThrownBy(() -> fixture.tenants.get(Scope.AGENCY, tenant.id())).isInstanceOf(NotFoundException.class);
        var claimed = fixture.domains.add(Scope.AGENCY, other.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME);
        assertThat(claimed.domain().tenantId()).as("the name is free for another tenant").isEqualTo(other.id());
    }

    @Test
    void thePurgeCoversEveryTableThatHoldsTenantRows() {
        var covered = new HashSet<String>();
        for (var statement : ArchiveRepository.PURGE) {
            covered.add(statement.split(" ")[2].toLowerCase(Locale.ROOT));
        }
        assertThat(covered).as("add a table with a tenant_id column to ArchiveRepository.PURGE").containsAll(tenantTables());
    }

    /** Each table with a tenant_id column, and how many rows it holds of the tenant (tables without any left out). */
    private Map<String, Integer> rowsOf(String tenantId) {
        var counts = new java.util.TreeMap<String, Integer>();
        fixture.database.jdbi().useHandle(h -> {
            for (var table : tenantTables()) {
                int count = h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = :tenant").bind("tenant", tenantId)
                        .mapTo(Integer.class).one();
                if (count > 0) {
                    counts.put(table, count);
                }
            }
        });
        return counts;
    }

    private Set<String> tenantTables() {
        return fixture.database.jdbi().withHandle(h -> new HashSet<>(h.createQuery("SELECT LOWER(table_name) FROM information_schema.columns "
                        + "WHERE LOWER(column_name) = 'tenant_id' AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)")
                .mapTo(String.class).list()));
    }

    private List<dev.mailroom.events.Event> eventsOf(String tenantId) {
        return fixture.events.list(new EventLog.Filter(tenantId, null, null, null), null, 500).data();
    }

    private ApiKey agencyKey() {
        fixture.keys.bootstrap("configured-admin-key-0123456789");
        return fixture.keys.authenticate("configured-admin-key-0123456789").orElseThrow();
    }
}
