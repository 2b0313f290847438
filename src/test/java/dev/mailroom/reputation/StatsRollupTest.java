package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.events.DeliveryReport;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.events.MessageRecord;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.store.Database;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.MutableClock;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The roll-up of the event log on H2 and PostgreSQL: what each event counts as and where, exactly once, late commits included. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class StatsRollupTest {
    private static final Instant START = Instant.parse("2026-03-10T10:00:00Z");
    private static final String WARM_IP = "192.0.2.10";

    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(START);
    private final List<Database> databases = new ArrayList<>();
    private TestDatabase.Instance instance;
    private EventLog events;
    private MessageIndex index;
    private TenantRepository tenantRepository;
    private Stats stats;
    private StatsRollup rollup;
    private String tenantA;
    private String tenantB;

    @BeforeEach
    void open() {
        instance = kind.create();
        var jdbi = database().jdbi();
        var ids = new Ids(clock);
        events = new EventLog(jdbi, ids, clock);
        index = new MessageIndex(jdbi, events);
        tenantRepository = new TenantRepository(jdbi, events);
        var tenants = new TenantService(tenantRepository, ids, clock, "pool_starter");
        tenantA = tenants.create("A", Map.of()).id();
        tenantB = tenants.create("B", Map.of()).id();
        stats = new Stats(jdbi, clock, 100);
        rollup = node(database());
    }

    @AfterEach
    void close() throws Exception {
        databases.forEach(Database::close);
        if (instance != null) {
            instance.close();
        }
    }

    /** A connection pool of its own, as another node has. */
    private Database database() {
        var database = instance.open();
        databases.add(database);
        return database;
    }

    private StatsRollup node(Database database) {
        var pools = new StatsRollup.Pools() {
            @Override
            public Optional<String> ofAddress(String address) {
                return address.equals(WARM_IP) ? Optional.of("pool_warm") : Optional.empty();
            }

            @Override
            public Optional<String> ofSender(String tenantId, String domainId) {
                return tenantRepository.find(Scope.AGENCY, tenantId).map(Tenant::pool);
            }
        };
        return new StatsRollup(database.jdbi(), new EventLog(database.jdbi(), new Ids(clock), clock), pools, clock);
    }

    private String send(String tenant, String domain, String... recipients) {
        var id = "msg_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        var list = new ArrayList<MessageRecord.Recipient>();
        for (int i = 0; i < recipients.length; i++) {
            list.add(new MessageRecord.Recipient(i, i, recipients[i], RecipientStatus.QUEUED, null));
        }
        index.record(List.of(new MessageRecord(id, tenant, domain, "news@" + domain + ".example", "Hi", "api", null, List.of(), Map.of(),
                List.of(), 100, clock.instant(), list)));
        return id;
    }

    private void report(String tenant, String domain, String message, int recipient, String email, RecipientStatus status, String mx, String ip) {
        index.report(List.of(new DeliveryReport(tenant, domain, message, recipient, email, status, 1, "250 ok", mx, ip,
                status == RecipientStatus.DELIVERED ? null : "bad-mailbox", null, clock.instant())));
    }

    private void track(String tenant, String type, String message, String email, boolean machine) {
        var data = new HashMap<String, Object>(Map.of("message_id", message, "email", email, "domain_id", "dom_a", "machine", machine));
        events.append(tenant, type, message, data);
    }

    private Counts totals(StatsFilter filter) {
        return stats.totals(filter, START.minus(Duration.ofDays(1)), clock.instant());
    }

    @Test
    void eachEventCountsOnceUnderItsTenantDomainPoolAddressAndProvider() {
        var message = send(tenantA, "dom_a", "ann@gmail.com", "bob@hotmail.co.uk", "cy@example.org");
        report(tenantA, "dom_a", message, 0, "ann@gmail.com", RecipientStatus.DELIVERED, "gmail-smtp-in.l.google.com", WARM_IP);
        report(tenantA, "dom_a", message, 1, "bob@hotmail.co.uk", RecipientStatus.BOUNCED, "mx1.hotmail.com", WARM_IP);
        report(tenantA, "dom_a", message, 2, "cy@example.org", RecipientStatus.DELIVERED, "mx.example.org", "198.51.100.7");
        clock.advance(Duration.ofMinutes(5));
        track(tenantA, "message.opened", message, "ann@gmail.com", false);
        track(tenantA, "message.opened", message, "cy@example.org", true); // a privacy proxy's fetch
        track(tenantA, "message.clicked", message, "ann@gmail.com", false);
        index.recordFeedback(message, 0, RecipientStatus.COMPLAINED, "abuse", new EventLog.NewEvent(tenantA, "message.complained", message,
                Map.of("message_id", message, "email", "ann@gmail.com", "domain_id", "dom_a", "feedback_type", "abuse")), clock.instant());
        index.recordFeedback(message, 2, null, "4.2.2 full", new EventLog.NewEvent(tenantA, "message.bounced", message,
                Map.of("message_id", message, "email", "cy@example.org", "domain_id", "dom_a", "bounce_type", "soft", "source", "dsn")), clock.instant());
        var other = send(tenantB, "dom_b", "dee@yahoo.fr");
        report(tenantB, "dom_b", other, 0, "dee@yahoo.fr", RecipientStatus.FAILED, "mta5.am0.yahoodns.net", WARM_IP);

        assertThat(rollup.catchUp()).as("what is older than the late-commit margin: the first six").isEqualTo(6);
        clock.advance(StatsRollup.LATE_COMMIT_MARGIN.plusSeconds(1));
        assertThat(rollup.catchUp()).isEqualTo(7);
        assertThat(rollup.catchUp()).as("counted once").isZero();

        assertThat(totals(StatsFilter.tenant(tenantA))).isEqualTo(new Counts(3, 2, 0, 1, 1, 0, 1, 1, 1, 0, 0));
        assertThat(totals(StatsFilter.tenant(tenantB))).isEqualTo(new Counts(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0));
        assertThat(totals(new StatsFilter(tenantA, "dom_a", null, null, null)).sent()).isEqualTo(3);
        assertThat(totals(new StatsFilter(tenantA, "dom_b", null, null, null))).isEqualTo(Counts.ZERO);
        // delivery events leave from the address's pool; the rest are the tenant's pool's
        assertThat(stats.byTenant(StatsFilter.pool("pool_warm"), START, clock.instant()))
                .containsOnlyKeys(tenantA, tenantB)
                .satisfies(byTenant -> assertThat(byTenant.get(tenantA)).isEqualTo(new Counts(0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0)));
        assertThat(totals(new StatsFilter(tenantA, null, "pool_starter", null, null)))
                .isEqualTo(new Counts(3, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0));
        assertThat(totals(new StatsFilter(null, null, null, "198.51.100.7", null)).delivered()).isEqualTo(1);
        var byProvider = stats.byProvider(StatsFilter.tenant(tenantA), START, clock.instant());
        assertThat(byProvider.get(Provider.GMAIL)).isEqualTo(new Counts(1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0));
        assertThat(byProvider.get(Provider.MICROSOFT)).isEqualTo(new Counts(1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(byProvider.get(Provider.OTHER)).isEqualTo(new Counts(1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0));
        assertThat(stats.byProvider(StatsFilter.tenant(tenantB), START, clock.instant())).containsOnlyKeys(Provider.YAHOO);
        assertThat(stats.byDomain(tenantA, START, clock.instant())).containsOnlyKeys("dom_a");

        // the same figures in each size of bucket
        for (var interval : Interval.values()) {
            var series = stats.series(StatsFilter.tenant(tenantA), START, clock.instant(), interval);
            assertThat(series.stream().map(Stats.Point::counts).reduce(Counts.ZERO, Counts::plus)).as(interval.name())
                    .isEqualTo(new Counts(3, 2, 0, 1, 1, 0, 1, 1, 1, 0, 0));
        }
        var minutes = stats.series(StatsFilter.tenant(tenantA), START, START.plus(Duration.ofMinutes(7)), Interval.MINUTE);
        assertThat(minutes).hasSize(7);
        assertThat(minutes.get(0).counts().sent()).isEqualTo(3);
        assertThat(minutes.get(5).counts().opened()).isEqualTo(1);
        assertThat(minutes.get(3).counts()).isEqualTo(Counts.ZERO);
        assertThat(stats.maxHourly(tenantA, Metric.SENT, START.minus(Duration.ofDays(1)), clock.instant())).isEqualTo(3);
        assertThat(stats.usage(null, java.time.YearMonth.of(2026, 3))).extracting(Stats.Usage::tenantId)
                .containsExactlyElementsOf(new java.util.TreeSet<>(List.of(tenantA, tenantB)));
        assertThat(stats.usage(tenantB, java.time.YearMonth.of(2026, 4))).singleElement()
                .satisfies(usage -> assertThat(usage.counts()).isEqualTo(Counts.ZERO));
    }

    @Test
    void anEventThatCommitsLateBehindOneAlreadyVisibleIsCounted() {
        send(tenantA, "dom_a", "early@example.org");
        clock.advance(Duration.ofMinutes(5));
        try (var open = database().jdbi().open()) {
            open.begin();
            events.append(open, tenantA, "message.delivered", "msg_late", Map.of("message_id", "msg_late", "email", "x@example.org",
                    "domain_id", "dom_a"));
            clock.advance(Duration.ofSeconds(10));
            send(tenantA, "dom_a", "after@example.org");
            clock.advance(Duration.ofSeconds(20));
            assertThat(rollup.catchUp()).as("only the event older than the margin").isEqualTo(1);
            clock.advance(Duration.ofSeconds(10));
            open.commit();
        }
        clock.advance(StatsRollup.LATE_COMMIT_MARGIN);
        assertThat(rollup.catchUp()).isEqualTo(2);
        assertThat(totals(StatsFilter.tenant(tenantA))).isEqualTo(new Counts(2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void twoNodesFoldingAtOnceCountEveryEventOnce() throws Exception {
        int messages = 2 * StatsRollup.PAGE + 345;
        for (int i = 0; i < messages; i += 500) {
            var batch = new ArrayList<EventLog.NewEvent>();
            for (int j = i; j < Math.min(messages, i + 500); j++) {
                batch.add(new EventLog.NewEvent(j % 2 == 0 ? tenantA : tenantB, "message.queued", "msg_" + j,
                        Map.of("message_id", "msg_" + j, "email", "r" + j + "@gmail.com", "domain_id", "dom_a")));
            }
            database().jdbi().useTransaction(h -> events.appendAll(h, batch));
            clock.advance(Duration.ofMillis(3));
        }
        clock.advance(StatsRollup.LATE_COMMIT_MARGIN.plusSeconds(1));
        var nodes = List.of(rollup, node(database()));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var counted = threads.invokeAll(nodes.stream().map(node -> (Callable<Integer>) node::catchUp).toList());
            int total = 0;
            for (var each : counted) {
                total += each.get();
            }
            assertThat(total).isEqualTo(messages);
        }
        assertThat(totals(StatsFilter.ALL).sent()).isEqualTo(messages);
        assertThat(totals(StatsFilter.tenant(tenantB)).sent()).isEqualTo(messages / 2);
    }

    @Test
    void minuteBucketsGoAfterTwoDaysWhileHoursAndDaysStay() {
        send(tenantA, "dom_a", "a@example.org", "b@example.org");
        clock.advance(StatsRollup.LATE_COMMIT_MARGIN.plusSeconds(1));
        rollup.catchUp();
        var window = List.of(START, START.plus(Duration.ofMinutes(1)));
        assertThat(stats.series(StatsFilter.ALL, window.get(0), window.get(1), Interval.MINUTE).getFirst().counts().sent()).isEqualTo(2);

        clock.advance(Duration.ofHours(49));
        assertThat(rollup.prune()).as("the minute row").isEqualTo(1);
        assertThat(stats.series(StatsFilter.ALL, window.get(0), window.get(1), Interval.MINUTE).getFirst().counts().sent()).isZero();
        // a window whose edge minutes are gone is read to the hour
        assertThat(stats.totals(StatsFilter.ALL, START.plus(Duration.ofMinutes(-30)), START.plus(Duration.ofMinutes(30))).sent()).isEqualTo(2);
        clock.advance(Duration.ofDays(400));
        assertThat(rollup.prune()).as("the hour row").isEqualTo(1);
        assertThat(stats.series(StatsFilter.ALL, START, START.plus(Duration.ofDays(1)), Interval.DAY).getFirst().counts().sent()).isEqualTo(2);
    }

    @Test
    void eventsOlderThanARetentionFoldOnlyIntoTheLargerBuckets() {
        send(tenantA, "dom_a", "a@example.org");
        clock.advance(Duration.ofDays(3));
        assertThat(rollup.catchUp()).isEqualTo(1);
        assertThat(rollup.prune()).as("no minute row was written").isZero();
        assertThat(stats.totals(StatsFilter.ALL, START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1))).sent()).isEqualTo(1);
    }
}
