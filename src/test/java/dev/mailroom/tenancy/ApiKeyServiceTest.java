package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.DnsSetup;
import dev.mailroom.store.TestDatabase;
import java.util.EnumSet;
import java.util.List;
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
class ApiKeyServiceTest {
    private static final String ADMIN = "configured-admin-key-0123456789";

    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private ApiKey agency;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        assertThat(fixture.keys.bootstrap(ADMIN)).isEmpty();
        agency = fixture.keys.authenticate(ADMIN).orElseThrow();
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aCreatedKeyAuthenticatesAndOnlyItsHashIsStored() {
        var tenant = fixture.tenants.create("A", Map.of());
        var created = fixture.keys.create(agency, tenant.id(), null, EnumSet.of(Permission.SEND));
        assertThat(created.secret()).matches("mr_[0-9a-z]{26}_[A-Za-z0-9_-]{43}");
        assertThat(fixture.keys.authenticate(created.secret())).contains(created.key());

        var stored = fixture.keyRepository.findForAuthentication(created.key().id()).orElseThrow();
        assertThat(stored.secretHash()).isEqualTo(Secrets.hash(created.secret())).doesNotContain(created.secret());
        var tampered = created.secret().substring(0, created.secret().length() - 1) + "x";
        assertThat(fixture.keys.authenticate(tampered)).isEmpty();
        assertThat(fixture.keys.authenticate("")).isEmpty();
        assertThat(fixture.keys.authenticate("mr_nothing_here")).isEmpty();
    }

    @Test
    void theBootstrapKeyFollowsTheConfiguration() {
        assertThat(agency.bootstrap()).isTrue();
        assertThat(fixture.keyRepository.findForAuthentication(agency.id()).orElseThrow().secretHash())
                .as("a person-chosen admin key is not stored, not even hashed").isEmpty();
        assertThat(fixture.keys.bootstrap(ADMIN)).as("a second start changes nothing").isEmpty();
        assertThat(fixture.keys.list(Scope.AGENCY, null, 10).data()).hasSize(1);
        assertThat(agency.permissions()).containsExactlyInAnyOrder(Permission.values());
        fixture.keys.bootstrap("another-admin-key-0123456789");
        assertThat(fixture.keys.authenticate(ADMIN)).isEmpty();
        assertThat(fixture.keys.authenticate("another-admin-key-0123456789")).isPresent();

        // unset: the bootstrap key goes; with no agency key left one is generated, once
        var generated = fixture.keys.bootstrap("");
        assertThat(generated).isPresent();
        assertThat(fixture.keys.authenticate("another-admin-key-0123456789")).isEmpty();
        assertThat(fixture.keys.authenticate(generated.get()).orElseThrow().tenantId()).isNull();
        assertThat(fixture.keys.bootstrap("")).isEmpty();
    }

    @Test
    void aKeyNeverGrantsMoreThanItHas() {
        var tenantA = fixture.tenants.create("A", Map.of());
        var tenantB = fixture.tenants.create("B", Map.of());
        var domain = fixture.domains.add(Scope.AGENCY, tenantA.id(), "tx.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        var other = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var tenantKey = fixture.keys.create(agency, tenantA.id(), null, EnumSet.of(Permission.MANAGE)).key();

        assertThatThrownBy(() -> fixture.keys.create(tenantKey, tenantB.id(), null, Set.of(Permission.READ))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixture.keys.create(tenantKey, null, null, Set.of(Permission.SEND))).isInstanceOf(ValidationException.class);
        assertThat(fixture.keys.create(tenantKey, null, null, Set.of(Permission.READ)).key().tenantId()).isEqualTo(tenantA.id());

        var restricted = fixture.keys.create(agency, tenantA.id(), List.of(domain.id()), Set.of(Permission.MANAGE)).key();
        assertThatThrownBy(() -> fixture.keys.create(restricted, null, List.of(other.id()), Set.of(Permission.READ)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("domain_ids[0]"));
        assertThat(fixture.keys.create(restricted, null, List.of(domain.id()), Set.of(Permission.READ)).key().domainIds()).containsExactly(domain.id());
        assertThatThrownBy(() -> fixture.keys.create(agency, null, List.of(domain.id()), Set.of(Permission.READ))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.keys.create(agency, tenantB.id(), List.of(domain.id()), Set.of(Permission.READ))).isInstanceOf(ValidationException.class);
    }

    @Test
    void revocationEndsAuthenticationButSparesTheBootstrapAndTheCaller() {
        var tenant = fixture.tenants.create("A", Map.of());
        var created = fixture.keys.create(agency, tenant.id(), null, EnumSet.of(Permission.READ, Permission.MANAGE));
        assertThatThrownBy(() -> fixture.keys.revoke(created.key(), agency.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixture.keys.revoke(created.key(), created.key().id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixture.keys.revoke(agency, agency.id())).isInstanceOf(ConflictException.class);
        fixture.keys.revoke(agency, created.key().id());
        assertThat(fixture.keys.authenticate(created.secret())).isEmpty();
        assertThat(fixture.keys.list(Scope.AGENCY, null, 10).data()).extracting(ApiKey::id).containsExactly(agency.id());
    }
}
