package dev.mailroom.tenancy;

/** Whether a tenant's mail flows: set by operators and by the reputation engine. */
public enum TenantStatus {
    ACTIVE, THROTTLED, PAUSED, OFFBOARDED
}
