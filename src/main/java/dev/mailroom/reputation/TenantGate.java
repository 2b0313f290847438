package dev.mailroom.reputation;

import dev.mailroom.delivery.Rate;
import dev.mailroom.delivery.TenantControls;
import dev.mailroom.store.Memo;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivery's view of tenants' statuses: a paused tenant's queue is held, a throttled tenant goes
 * at the rate its throttle recorded (half what it was sending), or at half the configured tenant
 * rate. Read from memory; a change on this node is seen at once (see {@link #forget}), one made
 * on another node within {@link #LIFETIME}.
 */
public final class TenantGate implements TenantControls {
    static final Duration LIFETIME = Duration.ofSeconds(5);
    private final TenantRepository tenants;
    private final ReputationSettings settings;
    private final Memo<String, Optional<Control>> controls;

    private record Control(TenantStatus status, Rate throttledRate) {}

    public TenantGate(TenantRepository tenants, ReputationSettings settings, Clock clock) {
        this.tenants = tenants;
        this.settings = settings;
        this.controls = new Memo<>(clock, LIFETIME, 100_000);
    }

    @Override
    public boolean holds(String tenantId) {
        return control(tenantId).map(control -> control.status() == TenantStatus.PAUSED).orElse(false);
    }

    @Override
    public Rate rate(String tenantId, Rate configured) {
        var control = control(tenantId);
        if (control.isEmpty() || control.get().status() != TenantStatus.THROTTLED) {
            return configured;
        }
        var throttled = control.get().throttledRate();
        return throttled != null ? throttled : configured == null ? null : configured.halved(1);
    }

    /** A tenant changed: ask again. */
    public void forget() {
        controls.forget();
    }

    private Optional<Control> control(String tenantId) {
        return controls.get(tenantId, id -> tenants.find(Scope.AGENCY, id)
                .map(tenant -> new Control(tenant.status(), tenant.status() == TenantStatus.THROTTLED ? settings.of(id).throttledRate() : null)));
    }
}
