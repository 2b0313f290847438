package dev.mailroom.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's departure and, within the retention period, its return. Offboarding stops its mail
 * (submission refuses an offboarded tenant, whatever key or credential it uses: they stay, so a
 * restore brings them back), cancels or finishes its queue, takes it out of its pool once nothing
 * of it is queued, and archives its configuration until {@code now + retention}; after that
 * {@link #purgeExpired} deletes all its data and frees its domain names.
 */
public final class Offboarding {
    private static final Logger LOG = LoggerFactory.getLogger(Offboarding.class);
    /** Archives handled per sweep and kind, so that one sweep stays short; the next takes the rest. */
    static final int SWEEP_BATCH = 100;
    private final TenantService tenants;
    private final ArchiveRepository archives;
    private final TenantQueue queue;
    private final Duration retention;
    private final String restorePool;
    private final Clock clock;

    /** What happens to the mail a tenant has queued when it leaves. */
    public enum Queue {
        /** Delivery goes on until every queued recipient is finished; the tenant keeps its pool till then. */
        FINISH,
        /** Every queued or deferred recipient is cancelled now. */
        CANCEL
    }

    /** The queued mail of tenants, as submission keeps it (tenancy does not reach into the spool itself). */
    public interface TenantQueue {
        /** Cancels every queued or deferred recipient of the tenant; returns how many. */
        int cancel(String tenantId) throws InterruptedException;

        /** Whether any recipient of the tenant is still queued or deferred. */
        boolean unfinished(String tenantId);
    }

    /** An offboarded tenant's archive: restorable until {@code archivedUntil}; {@code poolReleasedAt} null while it holds its pool. */
    public record Archive(String tenantId, Queue queue, Instant offboardedAt, Instant archivedUntil, Instant poolReleasedAt) {}

    /** The outcome of an offboarding: the tenant as it is now, its archive, and how many recipients were cancelled. */
    public record Offboarded(Tenant tenant, Archive archive, int cancelledRecipients) {}

    /** @param restorePool the pool a restored tenant starts in (the one new tenants join) */
    public Offboarding(TenantService tenants, ArchiveRepository archives, TenantQueue queue, Duration retention, String restorePool, Clock clock) {
        this.tenants = tenants;
        this.archives = archives;
        this.queue = queue;
        this.retention = retention;
        this.restorePool = restorePool;
        this.clock = clock;
    }

    public Offboarded offboard(Scope scope, String id, Queue choice) throws InterruptedException {
        var tenant = tenants.get(scope, id);
        var now = now();
        var archive = new Archive(id, choice, now, now.plus(retention), null);
        var offboarded = new Tenant(tenant.id(), tenant.name(), TenantStatus.OFFBOARDED, null, Lifecycle.OFFBOARDED, tenant.pool(),
                tenant.metadata(), tenant.hourlyCap(), tenant.dailyCap(), tenant.createdAt(), now);
        if (!archives.offboard(offboarded, archive)) {
            throw new ConflictException(null, "tenant " + id + " is offboarded already");
        }
        // submission forgets the tenant's state now, so nothing new is accepted from here on
        tenants.changed();
        int cancelled = choice == Queue.CANCEL ? queue.cancel(id) : 0;
        if (choice == Queue.CANCEL) {
            release(id, now);
        }
        return new Offboarded(tenants.get(Scope.AGENCY, id), archives.find(id).orElseThrow(), cancelled);
    }

    /**
     * Resumes a paused or throttled tenant, first cancelling the mail held while it was paused
     * when the operator says so ({@code cancelHeld}): the client may not want a campaign that went
     * wrong to go out after all. Answers the tenant and how many recipients were cancelled.
     */
    public Resumed resume(Scope scope, String id, boolean cancelHeld) throws InterruptedException {
        var tenant = tenants.get(scope, id);
        if (tenant.status() == TenantStatus.OFFBOARDED) {
            throw new ConflictException(null, "tenant " + id + " is offboarded; restore it instead");
        }
        if (cancelHeld && tenant.status() != TenantStatus.PAUSED) {
            throw new ConflictException(null, "tenant " + id + " is " + tenant.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not paused: none of its mail is held, and queued: cancel would cancel mail on its way");
        }
        int cancelled = cancelHeld ? queue.cancel(id) : 0;
        return new Resumed(tenants.resume(scope, id), cancelled);
    }

    /** A resumed tenant and how many of its queued recipients were cancelled on the way. */
    public record Resumed(Tenant tenant, int cancelledRecipients) {}

    /**
     * Brings an offboarded tenant back while its archive lasts: status {@code active}, lifecycle
     * {@code setup} (its reputation starts again), in the default pool, with its domains, keys,
     * credentials, webhooks and suppressions as they were.
     */
    public Tenant restore(Scope scope, String id) {
        var tenant = tenants.get(scope, id);
        if (tenant.status() != TenantStatus.OFFBOARDED) {
            throw new ConflictException(null, "tenant " + id + " is not offboarded");
        }
        var now = now();
        var restored = new Tenant(tenant.id(), tenant.name(), TenantStatus.ACTIVE, null, Lifecycle.SETUP, restorePool, tenant.metadata(),
                tenant.hourlyCap(), tenant.dailyCap(), tenant.createdAt(), now);
        if (!archives.restore(restored, now)) {
            throw new ConflictException(null, "the archive of tenant " + id + " has ended; its data is being deleted");
        }
        tenants.changed();
        return restored;
    }

    /**
     * Takes out of their pools the offboarded tenants whose queue is finished; returns how many. A
     * cancellation cut short (the database was behind, the process stopped) is completed first.
     */
    public int releaseDrainedPools() throws InterruptedException {
        int released = 0;
        for (var archive : archives.holdingPools(SWEEP_BATCH)) {
            if (archive.queue() == Queue.CANCEL) {
                queue.cancel(archive.tenantId());
            }
            if (!queue.unfinished(archive.tenantId())) {
                release(archive.tenantId(), now());
                released++;
            }
        }
        return released;
    }

    /** Deletes the data of tenants whose archive has ended, freeing their domain names; returns how many. */
    public int purgeExpired() {
        var expired = archives.expired(now(), SWEEP_BATCH);
        for (var tenantId : expired) {
            archives.purge(tenantId);
            LOG.info("Tenant {}: archive ended, its data is deleted and its domain names are free", tenantId);
        }
        if (!expired.isEmpty()) {
            tenants.changed();
        }
        return expired.size();
    }

    private void release(String tenantId, Instant at) {
        archives.releasePool(tenantId, at);
        tenants.changed();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
