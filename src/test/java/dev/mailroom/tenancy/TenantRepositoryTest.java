package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.store.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class TenantRepositoryTest {
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void storesAndReadsBackEveryField() {
        var created = fixture.tenants.create("  Client A  ", Map.of("crm", "42", "plan", "gold"));
        assertThat(created.name()).isEqualTo("Client A");
        var read = fixture.tenantRepository.find(Scope.AGENCY, created.id()).orElseThrow();
        assertThat(read).isEqualTo(created);
        assertThat(fixture.tenantRepository.count()).isEqualTo(1);
    }

    @Test
    void aTenantScopeFindsOnlyItsOwnTenant() {
        var a = fixture.tenants.create("A", Map.of());
        var b = fixture.tenants.create("B", Map.of());
        assertThat(fixture.tenantRepository.find(Scope.tenant(a.id()), b.id())).isEmpty();
        assertThat(fixture.tenantRepository.list(Scope.tenant(a.id()), null, 10).data()).extracting(Tenant::id).containsExactly(a.id());
        assertThat(fixture.tenantRepository.list(Scope.AGENCY, null, 10).data()).extracting(Tenant::id).containsExactly(a.id(), b.id());
    }

    @Test
    void updatesKeepWhatIsNotChanged() {
        var tenant = fixture.tenants.create("A", Map.of("k", "v"));
        var renamed = fixture.tenants.update(Scope.AGENCY, tenant.id(), new TenantService.Changes("B", null, 500, null));
        assertThat(renamed.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(renamed.hourlyCap()).isEqualTo(500);
        assertThat(renamed.dailyCap()).isNull();
        var capped = fixture.tenants.update(Scope.AGENCY, tenant.id(), new TenantService.Changes(null, null, null, 10_000));
        assertThat(capped.hourlyCap()).isEqualTo(500);
        assertThat(capped.dailyCap()).isEqualTo(10_000);
        var uncapped = fixture.tenants.update(Scope.AGENCY, tenant.id(), new TenantService.Changes(null, null, -1, null));
        assertThat(uncapped.hourlyCap()).isNull();
        assertThat(fixture.tenantRepository.find(Scope.AGENCY, tenant.id()).orElseThrow()).isEqualTo(uncapped);
        var paused = fixture.tenants.pause(Scope.AGENCY, tenant.id(), "bounce rate 6%");
        assertThat(fixture.tenantRepository.find(Scope.AGENCY, tenant.id()).orElseThrow()).isEqualTo(paused);
        assertThat(paused.status()).isEqualTo(TenantStatus.PAUSED);
    }

    @Test
    void statusChangesAreAnnouncedAndTheEngineNeverOverridesAPerson() {
        var tenant = fixture.tenants.create("A", Map.of());
        var throttled = fixture.tenants.changeAutomatically(tenant.id(), TenantStatus.ACTIVE, TenantStatus.THROTTLED, "complaint rate 0.3% > 0.2%",
                Map.of("complaint_rate", 0.003), h -> { }).orElseThrow();
        assertThat(throttled.status()).isEqualTo(TenantStatus.THROTTLED);
        // an operator resumed it meanwhile: the engine's pause, decided on the throttled tenant, is dropped
        fixture.tenants.resume(Scope.AGENCY, tenant.id());
        assertThat(fixture.tenants.changeAutomatically(tenant.id(), TenantStatus.THROTTLED, TenantStatus.PAUSED, "x", Map.of(), h -> { })).isEmpty();
        assertThat(fixture.tenants.resume(Scope.AGENCY, tenant.id()).status()).as("resuming an active tenant changes nothing").isEqualTo(TenantStatus.ACTIVE);
        fixture.tenants.pause(Scope.AGENCY, tenant.id(), "client asked");

        var events = fixture.events.list(new dev.mailroom.events.EventLog.Filter(tenant.id(), null, null, null), null, 10).data();
        assertThat(events).extracting(dev.mailroom.events.Event::type).containsExactly("tenant.throttled", "tenant.resumed", "tenant.paused");
        assertThat(events.get(0).data()).containsEntry("reason", "complaint rate 0.3% > 0.2%").containsEntry("automatic", true)
                .containsEntry("complaint_rate", 0.003);
        assertThat(events.get(1).data()).containsEntry("from", "throttled");
        assertThat(events.get(2).data()).containsEntry("reason", "client asked").containsEntry("automatic", false);
    }

    @Test
    void invalidInputChangesNothing() {
        var tenant = fixture.tenants.create("A", Map.of());
        assertThatThrownBy(() -> fixture.tenants.update(Scope.AGENCY, tenant.id(), new TenantService.Changes("x".repeat(201), null, null, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("name"));
        assertThatThrownBy(() -> fixture.tenants.create("", Map.of())).isInstanceOf(ValidationException.class);
        assertThat(fixture.tenantRepository.find(Scope.AGENCY, tenant.id()).orElseThrow()).isEqualTo(tenant);
        assertThat(fixture.tenantRepository.count()).isEqualTo(1);
    }
}
