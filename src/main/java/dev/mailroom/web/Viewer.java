package dev.mailroom.web;

import dev.mailroom.tenancy.Role;
import dev.mailroom.tenancy.Sessions;
import java.util.Locale;

/**
 * Who is looking at a dashboard page: the logged-in user and the CSRF token of its session,
 * which every form and htmx request must send back.
 */
public record Viewer(String userId, String email, Role role, String tenantId, String csrfToken) {
    static Viewer of(Sessions.Session session) {
        var user = session.user();
        return new Viewer(user.id(), user.email(), user.role(), user.tenantId(), session.csrfToken());
    }

    /** Sees every tenant (agency admin or operator). */
    public boolean isAgency() {
        return role.isAgency();
    }

    public boolean isAdmin() {
        return role == Role.AGENCY_ADMIN;
    }

    /** How the header names the role: {@code agency admin}. */
    public String roleLabel() {
        return role.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
