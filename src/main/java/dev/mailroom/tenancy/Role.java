package dev.mailroom.tenancy;

/**
 * What a dashboard user may do. Agency admins do everything, agency operators everything but
 * key management, client viewers read their one tenant.
 */
public enum Role {
    AGENCY_ADMIN, AGENCY_OPERATOR, CLIENT_VIEWER;

    /** Whether the role sees every tenant (and so holds no tenant of its own). */
    public boolean isAgency() {
        return this != CLIENT_VIEWER;
    }
}
