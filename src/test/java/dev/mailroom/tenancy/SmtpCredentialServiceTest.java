package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.store.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class SmtpCredentialServiceTest {
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private Tenant tenant;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        tenant = fixture.tenants.create("A", Map.of());
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void passwordsNeverBeginWithADash() {
        for (int i = 0; i < 500; i++) {
            assertThat(Secrets.generate()).doesNotStartWith("-").hasSize(43);
        }
    }

    @Test
    void passwordCredentialAuthenticatesByUsername() {
        var created = fixture.credentials.create(Scope.AGENCY, tenant.id(), null, null);
        assertThat(fixture.credentials.authenticate(created.credential().username(), created.password())).contains(created.credential());
        assertThat(fixture.credentials.authenticate(created.credential().username(), created.password() + "x")).isEmpty();
        assertThat(fixture.credentials.authenticate("nobody", created.password())).isEmpty();
    }

    @Test
    void networkCredentialHasNoPasswordAndCanonicalNetworks() {
        var created = fixture.credentials.create(Scope.AGENCY, tenant.id(), null, List.of("203.0.113.0/24", "2001:DB8::/32", "198.51.100.7"));
        assertThat(created.password()).isNull();
        assertThat(created.credential().networks()).containsExactly("203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32");
        assertThat(fixture.credentials.list(Scope.tenant(tenant.id()), null, 10).data()).containsExactly(created.credential());
    }

    @Test
    void otherTenantsCannotSeeOrDelete() {
        var other = fixture.tenants.create("B", Map.of());
        var created = fixture.credentials.create(Scope.AGENCY, tenant.id(), null, null);
        assertThat(fixture.credentials.list(Scope.tenant(other.id()), null, 10).data()).isEmpty();
        assertThatThrownBy(() -> fixture.credentials.delete(Scope.tenant(other.id()), created.credential().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixture.credentials.create(Scope.tenant(other.id()), tenant.id(), null, null)).isInstanceOf(NotFoundException.class);
        fixture.credentials.delete(Scope.tenant(tenant.id()), created.credential().id());
        assertThat(fixture.credentials.list(Scope.AGENCY, null, 10).data()).isEmpty();
    }

    @Test
    void badNetworksAreRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> fixture.credentials.create(Scope.AGENCY, tenant.id(), null, List.of()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> fixture.credentials.create(Scope.AGENCY, tenant.id(), null, List.of("10.0.0.0/8", "10.1.2.3/8")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("networks[1]"));
        assertThat(fixture.credentials.list(Scope.AGENCY, null, 10).data()).isEmpty();
    }

    @Test
    void aNetworkServesOneTenantAndTheMostSpecificCredentialWins() throws Exception {
        var other = fixture.tenants.create("B", Map.of());
        var wide = fixture.credentials.create(Scope.AGENCY, tenant.id(), null, List.of("203.0.113.0/24")).credential();
        var narrow = fixture.credentials.create(Scope.AGENCY, tenant.id(), null, List.of("203.0.113.8/29")).credential();
        assertThatThrownBy(() -> fixture.credentials.create(Scope.AGENCY, other.id(), null, List.of("198.51.100.0/24", "203.0.113.9/32")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("networks[1]"));
        assertThatThrownBy(() -> fixture.credentials.create(Scope.AGENCY, other.id(), null, List.of("203.0.0.0/16")))
                .isInstanceOf(ValidationException.class);
        assertThat(fixture.credentials.forAddress(java.net.InetAddress.getByName("203.0.113.9"))).contains(narrow);
        assertThat(fixture.credentials.forAddress(java.net.InetAddress.getByName("203.0.113.200"))).contains(wide);
        assertThat(fixture.credentials.forAddress(java.net.InetAddress.getByName("192.0.2.1"))).isEmpty();
    }
}
