package dev.mailroom.web;

import java.util.List;

/**
 * What the page frame (src/main/jte/layout.jte) shows around every page: the title, the
 * logged-in viewer (null on the login page) with its navigation, and the asset URLs.
 */
public record Layout(String title, Viewer viewer, Assets assets, String path) {
    /** One entry of the navigation. */
    public record Link(String label, String href, boolean current) {}

    /**
     * The navigation for this viewer: agency roles see the agency's pages, a client viewer only
     * its own tenant. A new agency page adds its link here.
     */
    public List<Link> navigation() {
        if (viewer == null) {
            return List.of();
        }
        if (!viewer.isAgency()) {
            return List.of(link("Overview", TenantPage.path(viewer.tenantId())));
        }
        return List.of(link("Overview", OverviewPage.PATH), link("Add a client", OnboardingPage.PATH));
    }

    /** Headers every htmx request sends (the CSRF token), as hx-headers JSON on the body; null when nobody is logged in. */
    public String htmxHeaders() {
        return viewer == null ? null : "{\"" + PageRoutes.CSRF_HEADER + "\": \"" + viewer.csrfToken() + "\"}";
    }

    private Link link(String label, String href) {
        return new Link(label, href, href.equals(path));
    }
}
