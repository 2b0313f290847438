package dev.mailroom.web;

import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;

/**
 * What each role may reach. A client viewer meets agency pages and other tenants' pages as if
 * they did not exist (404), so that URL guessing tells it nothing; what it may see but not do
 * answers 403.
 */
public final class Guards {
    private Guards() {}

    /** Agency admins and operators only; a client viewer gets 404. */
    public static void requireAgency(Viewer viewer, String what) {
        if (!viewer.isAgency()) {
            throw new NotFoundException("page", what);
        }
    }

    /** Agency admins only (key management): an operator gets 403, a client viewer 404. */
    public static void requireAdmin(Viewer viewer, String what) {
        requireAgency(viewer, what);
        if (!viewer.isAdmin()) {
            throw new Forbidden("only an agency admin may do this");
        }
    }

    /** An action that changes something (pause, resume, add a suppression): agency roles only; a client viewer, read-only, gets 403. */
    public static void requireChange(Viewer viewer) {
        if (!viewer.isAgency()) {
            throw new Forbidden("this account can only look");
        }
    }

    /** The tenants the viewer may read: all of them for the agency, its own for a client viewer. Pass it to every repository read. */
    public static Scope tenantScope(Viewer viewer) {
        return viewer.isAgency() ? Scope.AGENCY : Scope.tenant(viewer.tenantId());
    }

    /** The viewer's reach narrowed to one tenant (found first with {@link TenantLookup}), for the lists of a tenant's page. */
    public static Scope tenantScope(Viewer viewer, String tenantId) {
        return tenantScope(viewer).narrowTo(tenantId);
    }
}
