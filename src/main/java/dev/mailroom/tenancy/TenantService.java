package dev.mailroom.tenancy;

import dev.mailroom.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;

/** Creating tenants and moving them between states, with the rules that keep a tenant's record sane. */
public final class TenantService {
    static final int NAME_MAX = 200;
    static final int METADATA_MAX_KEYS = 50;
    static final int METADATA_KEY_MAX = 40;
    static final int METADATA_VALUE_MAX = 500;
    static final int REASON_MAX = 1000;
    private static final Map<TenantStatus, String> STATUS_EVENTS = Map.of(TenantStatus.ACTIVE, "tenant.resumed",
            TenantStatus.THROTTLED, "tenant.throttled", TenantStatus.PAUSED, "tenant.paused");
    private final TenantRepository tenants;
    private final Ids ids;
    private final Clock clock;
    private final String defaultPool;

    private final java.util.List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param defaultPool the id of the IP pool new tenants join (pools are delivery's; tenancy only holds the id) */
    public TenantService(TenantRepository tenants, Ids ids, Clock clock, String defaultPool) {
        this.tenants = tenants;
        this.ids = ids;
        this.clock = clock;
        this.defaultPool = defaultPool;
    }

    public Tenant create(String name, Map<String, String> metadata) {
        validate(name, metadata);
        var now = now();
        var tenant = new Tenant(ids.next("tnt"), name.strip(), TenantStatus.ACTIVE, null, Lifecycle.SETUP, defaultPool,
                Map.copyOf(metadata), null, null, now, now);
        tenants.insert(tenant);
        return tenant;
    }

    /** A change to a tenant; a null field leaves that part as it is. A cap of 0 or more sets it, -1 returns it to the default. */
    public record Changes(String name, Map<String, String> metadata, Integer hourlyCap, Integer dailyCap) {}

    public Tenant update(Scope scope, String id, Changes changes) {
        var tenant = get(scope, id);
        var newName = changes.name() == null ? tenant.name() : changes.name().strip();
        var newMetadata = changes.metadata() == null ? tenant.metadata() : Map.copyOf(changes.metadata());
        validate(newName, newMetadata);
        var updated = new Tenant(tenant.id(), newName, tenant.status(), tenant.statusReason(), tenant.lifecycle(),
                tenant.pool(), newMetadata, cap(changes.hourlyCap(), tenant.hourlyCap()), cap(changes.dailyCap(), tenant.dailyCap()),
                tenant.createdAt(), now());
        tenants.update(updated);
        changeListeners.forEach(Runnable::run);
        return updated;
    }

    /** Stops the tenant's mail by hand: new sends are refused with the reason, queued mail is held. */
    public Tenant pause(Scope scope, String id, String reason) {
        var tenant = get(scope, id);
        if (reason == null || reason.isBlank()) {
            throw new ValidationException("reason", "is required: say why the tenant's mail is stopped");
        }
        if (reason.length() > REASON_MAX) {
            throw new ValidationException("reason", "is longer than " + REASON_MAX + " characters");
        }
        requireNotOffboarded(tenant);
        return changeStatus(tenant, TenantStatus.PAUSED, reason.strip(), Map.of("automatic", false), h -> {});
    }

    /** Lets a paused or throttled tenant's mail flow again; an active tenant stays as it is. */
    public Tenant resume(Scope scope, String id) {
        var tenant = get(scope, id);
        requireNotOffboarded(tenant);
        if (tenant.status() == TenantStatus.ACTIVE) {
            return tenant;
        }
        return changeStatus(tenant, TenantStatus.ACTIVE, null, Map.of("from", tenant.status().name().toLowerCase(java.util.Locale.ROOT)), h -> {});
    }

    /**
     * A status change the reputation engine decided ({@code THROTTLED} or {@code PAUSED}), with the
     * reason in words and the figures behind it, announced as {@code tenant.throttled} or
     * {@code tenant.paused}. Answers empty when the tenant is no longer in {@code from} (an operator
     * changed it meanwhile), so that the engine never overrides a person.
     */
    public java.util.Optional<Tenant> changeAutomatically(String id, TenantStatus from, TenantStatus to, String reason, Map<String, Object> details,
            java.util.function.Consumer<org.jdbi.v3.core.Handle> record) {
        if (to != TenantStatus.THROTTLED && to != TenantStatus.PAUSED) {
            throw new IllegalArgumentException("the reputation engine throttles or pauses, it does not set " + to);
        }
        var tenant = get(Scope.AGENCY, id);
        if (tenant.status() != from) {
            return java.util.Optional.empty();
        }
        var data = new java.util.LinkedHashMap<String, Object>(details);
        data.put("automatic", true);
        try {
            return java.util.Optional.of(changeStatus(tenant, to, reason, data, record));
        } catch (ConflictException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A pool move the reputation engine decided (isolation), with why, only if the tenant is
     * still in {@code fromPool}: a person's move meanwhile wins. {@code record} writes the engine's
     * own record of it in the same transaction.
     */
    public java.util.Optional<Tenant> changePoolAutomatically(String id, String fromPool, String toPool, Map<String, Object> why,
            java.util.function.Consumer<org.jdbi.v3.core.Handle> record) {
        var tenant = get(Scope.AGENCY, id);
        if (tenant.status() == TenantStatus.OFFBOARDED || !java.util.Objects.equals(tenant.pool(), fromPool) || fromPool.equals(toPool)) {
            return java.util.Optional.empty();
        }
        var moved = tenant.withPool(toPool, now());
        if (!tenants.changePool(tenant, moved, why, record)) {
            return java.util.Optional.empty();
        }
        changeListeners.forEach(Runnable::run);
        return java.util.Optional.of(moved);
    }

    /**
     * Moves a tenant's mail to another IP pool, recording {@code tenant.pool_changed} with
     * {@code why} (a reason, whether the reputation engine moved it). The caller
     * checks that the pool exists (the database's foreign key holds it too); moving a tenant to the
     * pool it is in changes nothing and records nothing.
     */
    public Tenant changePool(Scope scope, String id, String poolId, Map<String, Object> why) {
        var tenant = get(scope, id);
        requireNotOffboarded(tenant);
        if (tenant.pool().equals(poolId)) {
            return tenant;
        }
        var moved = tenant.withPool(poolId, now());
        if (!tenants.changePool(tenant, moved, why, h -> {})) {
            throw new ConflictException(null, "tenant " + id + " was moved to another pool at the same time; read it and try again");
        }
        changeListeners.forEach(Runnable::run);
        return moved;
    }

    /**
     * Moves a tenant from {@code from} to the next state of its life cycle, with the date and why.
     * Answers empty when it is no longer in {@code from} (moved meanwhile).
     */
    public java.util.Optional<Tenant> advanceLifecycle(String id, Lifecycle from, Lifecycle to, String note) {
        var tenant = get(Scope.AGENCY, id);
        if (tenant.lifecycle() != from) {
            return java.util.Optional.empty();
        }
        var at = now();
        if (!tenants.changeLifecycle(tenant, new LifecycleStep(to, at, note))) {
            return java.util.Optional.empty();
        }
        changeListeners.forEach(Runnable::run);
        return java.util.Optional.of(tenant.withLifecycle(to, at));
    }

    /** The states the tenant went through, with their dates. */
    public java.util.List<LifecycleStep> lifecycle(Scope scope, String id) {
        get(scope, id);
        return tenants.lifecycle(id);
    }

    /** Runs {@code listener} after every change to a tenant (caches of tenant state listen). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Tells the listeners of a change made elsewhere in tenancy (offboarding, restore, purge). */
    void changed() {
        changeListeners.forEach(Runnable::run);
    }

    public Tenant get(Scope scope, String id) {
        return tenants.find(scope, id).orElseThrow(() -> new NotFoundException("tenant", id));
    }

    /** Changes the status only if no one changed it since it was read, and announces it in the same transaction. */
    private Tenant changeStatus(Tenant tenant, TenantStatus status, String reason, Map<String, Object> details,
            java.util.function.Consumer<org.jdbi.v3.core.Handle> alsoInTransaction) {
        var updated = tenant.withStatus(status, reason, now());
        var data = new java.util.LinkedHashMap<String, Object>();
        if (reason != null) {
            data.put("reason", reason);
        }
        data.putAll(details);
        if (!tenants.changeStatus(tenant, updated, STATUS_EVENTS.get(status), data, alsoInTransaction)) {
            throw new ConflictException(null, "tenant " + tenant.id() + " changed status at the same time; read it and try again");
        }
        changeListeners.forEach(Runnable::run);
        return updated;
    }

    private static void requireNotOffboarded(Tenant tenant) {
        if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new ConflictException(null, "tenant " + tenant.id() + " is offboarded");
        }
    }

    private static Integer cap(Integer change, Integer current) {
        if (change == null) {
            return current;
        }
        return change < 0 ? null : change;
    }

    private static void validate(String name, Map<String, String> metadata) {
        var errors = new ArrayList<FieldError>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.strip().length() > NAME_MAX) {
            errors.add(new FieldError("name", "is longer than " + NAME_MAX + " characters"));
        }
        if (metadata.size() > METADATA_MAX_KEYS) {
            errors.add(new FieldError("metadata", "has more than " + METADATA_MAX_KEYS + " keys"));
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > METADATA_KEY_MAX) {
                errors.add(new FieldError("metadata", "key '" + key + "' must be 1 to " + METADATA_KEY_MAX + " characters"));
            }
            if (value == null || value.length() > METADATA_VALUE_MAX) {
                errors.add(new FieldError("metadata." + key, "must be a string of at most " + METADATA_VALUE_MAX + " characters"));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
