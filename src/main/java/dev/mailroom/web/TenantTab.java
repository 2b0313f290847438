package dev.mailroom.web;

import java.util.List;

/** The sections of a tenant's pages, as the tabs under its header link them. */
public enum TenantTab {
    OVERVIEW("Overview", ""),
    DOMAINS("Domains", "/domains"),
    SUPPRESSIONS("Suppressions", "/suppressions"),
    EVENTS("Events and messages", "/events"),
    WEBHOOKS("Webhooks", "/webhooks");

    private final String label;
    private final String suffix;

    TenantTab(String label, String suffix) {
        this.label = label;
        this.suffix = suffix;
    }

    public String label() {
        return label;
    }

    public String path(String tenantId) {
        return TenantPage.path(tenantId) + suffix;
    }

    public static List<TenantTab> all() {
        return List.of(values());
    }
}
