package dev.mailroom.delivery;

/**
 * What the reputation engine and operators decide about a tenant's delivery: whether its queued
 * mail waits (a paused tenant: held in the spool, never dropped) and how fast it may go (a
 * throttled tenant goes slower). Asked on every look at a tenant's queue, so answers come from
 * memory.
 */
public interface TenantControls {
    /** No tenant is held and every tenant has the configured rate. */
    TenantControls NONE = new TenantControls() {
        @Override
        public boolean holds(String tenantId) {
            return false;
        }

        @Override
        public Rate rate(String tenantId, Rate configured) {
            return configured;
        }
    };

    /** Whether the tenant's queued mail stays in the spool for now. */
    boolean holds(String tenantId);

    /** The tenant's rate across all sites now, given the configured one (null: no limit). */
    Rate rate(String tenantId, Rate configured);
}
