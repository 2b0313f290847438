package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.delivery.PoolRepository;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.InMemoryZone;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainStatus;
import dev.mailroom.tenancy.MutableClock;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Listings kept across runs, severities, IPv6 and organisational domains, and what each tenant and pool is shown; DNS in memory. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class BlocklistsTest {
    private static final String IPV4_ON_ZEN = "10.2.0.192.zen.spamhaus.org";
    private static final Blocklists.Settings LISTS = new Blocklists.Settings(List.of("zen.spamhaus.org", "bl.test"), List.of("dbl.test"));

    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private TenancyFixture fixture;
    private PoolService pools;
    private Alerts alerts;
    private String tenantA;
    private String tenantB;
    private Domain news;

    @BeforeEach
    void start() {
        fixture = new TenancyFixture(kind, clock);
        pools = new PoolService(new PoolRepository(fixture.database.jdbi(), fixture.sealer), new Ids(clock), clock);
        pools.addAddress("pool_starter", "192.0.2.10", "out1.example.net", null);
        pools.addAddress("pool_starter", "2001:db8::25", "out2.example.net", null);
        pools.addAddress("pool_premium", "198.51.100.1", "vip.example.net", null);
        alerts = new Alerts(fixture.database.jdbi(), fixture.events, new Ids(clock), clock);
        tenantA = fixture.tenants.create("Client A", Map.of()).id();
        tenantB = fixture.tenants.create("Client B", Map.of()).id();
        fixture.tenants.changePool(Scope.AGENCY, tenantB, "pool_premium", java.util.Map.of());
        news = verified(tenantA, "news.clienta.example");
        verified(tenantB, "mail.clientb.example");
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private Domain verified(String tenant, String name) {
        var domain = fixture.domains.add(Scope.AGENCY, tenant, name, Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        fixture.domainRepository.saveChecks(domain, List.of(), DomainStatus.VERIFIED, clock.instant(), clock.instant().plus(Duration.ofDays(1)), List.of());
        return fixture.domainRepository.find(Scope.AGENCY, domain.id()).orElseThrow();
    }

    private Blocklists blocklists(DnsLookup dns) {
        return new Blocklists(fixture.database.jdbi(), dns, pools, fixture.tenants, fixture.domainRepository, alerts, LISTS, clock);
    }

    @Test
    void listingsAreAlertedByListAndShownToTheirTenantAndPool() {
        var dns = new InMemoryZone()
                .a(IPV4_ON_ZEN, "127.0.0.3")
                .a("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test", "127.0.0.2")
                .a("clienta.example.dbl.test", "127.0.1.2").txt("clienta.example.dbl.test", "spam domain");
        var run = blocklists(dns).check();
        // 3 addresses on 2 IP lists; 2 domains and their 2 organisational domains on 1 domain list
        assertThat(run.queries()).isEqualTo(10);
        assertThat(run.failures()).isEmpty();
        assertThat(run.listed()).extracting(Listing::subject).containsExactly("192.0.2.10", "2001:db8::25", "clienta.example");

        var open = alerts.openOfKind(Blocklists.ALERT_KIND);
        assertThat(open).extracting(Alert::subjectId, Alert::severity).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("192.0.2.10", Alert.Severity.CRITICAL),
                org.assertj.core.groups.Tuple.tuple("2001:db8::25", Alert.Severity.WARNING),
                org.assertj.core.groups.Tuple.tuple(news.id(), Alert.Severity.WARNING));
        assertThat(open).filteredOn(alert -> alert.subjectId().equals(news.id())).singleElement().satisfies(alert -> {
            assertThat(alert.tenantId()).isEqualTo(tenantA);
            assertThat(alert.message()).isEqualTo("clienta.example (the organisational domain of news.clienta.example) is listed on dbl.test (spam domain)");
        });

        var blocklists = blocklists(dns);
        assertThat(blocklists.listingsForTenant(tenantA)).extracting(Listing::subject).containsExactly("192.0.2.10", "2001:db8::25", "clienta.example");
        assertThat(blocklists.listingsForTenant(tenantB)).as("its pool is clean and its domains are its own").isEmpty();
        assertThat(blocklists.listingsForPool("pool_starter")).extracting(Listing::kind).containsOnly(Listing.Kind.IP).hasSize(2);
        assertThat(blocklists.listingsForPool("pool_premium")).isEmpty();
    }

    @Test
    void aFailedQueryKeepsTheListingWhileAnAnsweredOneClearsIt() {
        blocklists(new InMemoryZone().a(IPV4_ON_ZEN, "127.0.0.2").a("clienta.example.dbl.test", "127.0.1.2")).check();
        var since = clock.instant();
        clock.advance(Duration.ofHours(1));

        var run = blocklists(new InMemoryZone().timeout(IPV4_ON_ZEN)).check();
        assertThat(run.failures()).singleElement().satisfies(failure -> assertThat(failure.subject()).isEqualTo("192.0.2.10"));
        assertThat(run.listed()).singleElement().satisfies(listing -> {
            assertThat(listing.subject()).isEqualTo("192.0.2.10");
            assertThat(listing.listedSince()).isEqualTo(since);
            assertThat(listing.lastChecked()).as("not checked: the query failed").isEqualTo(since);
        });
        assertThat(alerts.openOfKind(Blocklists.ALERT_KIND)).extracting(Alert::subjectId).containsExactly("192.0.2.10");

        pools.removeAddress("pool_starter", "192.0.2.10");
        assertThat(blocklists(new InMemoryZone()).check().listed()).as("an address out of every pool is not checked any more").isEmpty();
        assertThat(alerts.openOfKind(Blocklists.ALERT_KIND)).isEmpty();
    }
}
