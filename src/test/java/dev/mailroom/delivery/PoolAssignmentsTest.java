package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.DnsSetup;
import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import dev.mailroom.tenancy.Tenant;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Which pool a tenant's mail leaves from, and moving tenants and domains between pools. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class PoolAssignmentsTest {
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private PoolService pools;
    private PoolAssignments assignments;
    private Tenant tenant;
    private Domain marketing;
    private Domain transactional;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        pools = new PoolService(new PoolRepository(fixture.database.jdbi(), fixture.sealer), new Ids(Clock.systemUTC()), Clock.systemUTC());
        assignments = new PoolAssignments(pools, fixture.tenants, fixture.domains, fixture.domainRepository, Clock.systemUTC());
        tenant = fixture.tenants.create("Client A", Map.of());
        marketing = fixture.domains.add(Scope.AGENCY, tenant.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        transactional = fixture.domains.add(Scope.AGENCY, tenant.id(), "mail.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private java.util.List<Event> poolEvents() {
        return fixture.events.list(new EventLog.Filter(tenant.id(), "tenant.pool_changed", null, null), null, 10).data();
    }

    @Test
    void aNewTenantSendsFromTheStarterPool() {
        assertThat(tenant.pool()).isEqualTo("pool_starter");
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isEqualTo("pool_starter");
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).id()).isEqualTo("pool_starter");
    }

    @Test
    void movingATenantRecordsWhereFromAndWhereToWithTheChange() {
        var moved = assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_standard");
        assertThat(moved.pool()).isEqualTo("pool_standard");
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id())).isEqualTo(moved);
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).id()).isEqualTo("pool_standard");
        assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_isolation");
        assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_isolation"); // already there: no event

        assertThat(poolEvents()).extracting(Event::data).containsExactly(
                Map.of("from", "pool_starter", "to", "pool_standard"), Map.of("from", "pool_standard", "to", "pool_isolation"));
        assertThat(poolEvents()).allSatisfy(event -> assertThat(event.subjectId()).isEqualTo(tenant.id()));
    }

    @Test
    void anUnknownPoolOrATenantOutOfReachChangesNothing() {
        assertThatThrownBy(() -> assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_nope")).isInstanceOf(NotFoundException.class);
        var other = fixture.tenants.create("Client B", Map.of());
        assertThatThrownBy(() -> assignments.assignTenant(Scope.tenant(other.id()), tenant.id(), "pool_premium"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> assignments.assignDomain(Scope.AGENCY, marketing.id(), "pool_nope")).isInstanceOf(NotFoundException.class);
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isEqualTo("pool_starter");
        assertThat(fixture.domainRepository.find(Scope.AGENCY, marketing.id()).orElseThrow().pool()).isNull();
        assertThat(poolEvents()).isEmpty();
    }

    @Test
    void aTenantWhosePoolMovedMeanwhileIsNotMovedOnAStaleRead() {
        var stale = fixture.tenants.get(Scope.AGENCY, tenant.id());
        assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_premium");
        assertThat(fixture.tenantRepository.changePool(stale, fixture.tenants.get(Scope.AGENCY, tenant.id()), java.util.Map.of(), h -> { })).isFalse();
        // a rename written from a record read before the move does not undo the move
        fixture.tenantRepository.update(stale);
        assertThat(fixture.tenants.get(Scope.AGENCY, tenant.id()).pool()).isEqualTo("pool_premium");
        assertThat(poolEvents()).hasSize(1);
    }

    @Test
    void anOffboardedTenantIsNotMoved() {
        fixture.database.jdbi().useHandle(h -> h.execute("UPDATE tenants SET status = 'OFFBOARDED' WHERE id = ?", tenant.id()));
        assertThatThrownBy(() -> assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_premium")).isInstanceOf(ConflictException.class);
    }

    @Test
    void aDomainsOwnPoolWinsOverItsTenantsUntilCleared() {
        var dedicated = pools.create("clienta-transactional", PoolTier.PREMIUM, null);
        pools.addAddress(dedicated.id(), "192.0.2.50", "mta50.mail.example", null);
        assertThat(assignments.assignDomain(Scope.AGENCY, transactional.id(), dedicated.id()).domain().pool()).isEqualTo(dedicated.id());
        assignments.assignTenant(Scope.AGENCY, tenant.id(), "pool_standard");

        var chosen = assignments.poolFor(tenant.id(), transactional.id());
        assertThat(chosen.id()).isEqualTo(dedicated.id());
        assertThat(chosen.addresses()).extracting(PoolAddress::address).containsExactly("192.0.2.50");
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).id()).isEqualTo("pool_standard");

        assignments.assignDomain(Scope.AGENCY, transactional.id(), null);
        assertThat(assignments.poolFor(tenant.id(), transactional.id()).id()).isEqualTo("pool_standard");
    }

    @Test
    void theAnswerHeldInMemoryFollowsEveryChangeAtOnce() {
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).addresses()).isEmpty();
        pools.addAddress("pool_starter", "198.51.100.1", "mta1.mail.example", 10);
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).addresses()).extracting(PoolAddress::weight).containsExactly(10);
        pools.removeAddress("pool_starter", "198.51.100.1");
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).addresses()).isEmpty();
    }

    @Test
    void aSmarthostComesWithItsPasswordForTheClient() {
        var relay = pools.create("esp-overflow", PoolTier.STANDARD,
                new Smarthost("smtp.esp.example", 587, Smarthost.Tls.STARTTLS, "agency", "esp-password"));
        assignments.assignTenant(Scope.AGENCY, tenant.id(), relay.id());
        assertThat(assignments.poolFor(tenant.id(), marketing.id()).smarthost().password()).isEqualTo("esp-password");
    }

    /** The agency's domain signs sender identities' mail: that mail leaves from its own tenant's pool, never the domain's. */
    @Test
    void aDomainOfAnotherTenantTakesTheSendingTenantsPoolAndAnUnknownTenantHasNone() {
        var dedicated = pools.create("clienta-marketing", PoolTier.PREMIUM, null);
        assignments.assignDomain(Scope.AGENCY, marketing.id(), dedicated.id());
        var other = fixture.tenants.create("Client B", Map.of());
        assertThat(assignments.poolFor(other.id(), marketing.id()).id()).isEqualTo(other.pool());
        assertThatThrownBy(() -> assignments.poolFor("tnt_nope", marketing.id())).isInstanceOf(NotFoundException.class);
    }
}
