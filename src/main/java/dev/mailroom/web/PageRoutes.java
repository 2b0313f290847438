package dev.mailroom.web;

import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Sessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers dashboard pages. Every page registered with {@link #get}, {@link #post} or
 * {@link #delete} runs only for a logged-in viewer (others are sent to /login), with the
 * security headers set; a request that changes something must carry the session's CSRF token
 * (form field {@value #CSRF_FIELD} or header {@value #CSRF_HEADER}) or gets 403. A
 * {@link NotFoundException} from a handler becomes the 404 page, a {@link Forbidden} the 403 page.
 */
public final class PageRoutes {
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(PageRoutes.class);
    /** Scripts, styles, images and requests from Mailroom only; no inline script or style, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** A page's handler, given the logged-in viewer. */
    @FunctionalInterface
    public interface PageHandler {
        void handle(Context ctx, Viewer viewer) throws Exception;
    }

    private final RoutesConfig routes;
    private final Sessions sessions;
    private final SessionCookie cookie;
    private final Templates templates;

    PageRoutes(RoutesConfig routes, Sessions sessions, SessionCookie cookie, Templates templates) {
        this.routes = routes;
        this.sessions = sessions;
        this.cookie = cookie;
        this.templates = templates;
    }

    public void get(String path, PageHandler handler) {
        routes.addHttpHandler(HandlerType.GET, path, ctx -> guarded(ctx, handler, false));
    }

    public void post(String path, PageHandler handler) {
        routes.addHttpHandler(HandlerType.POST, path, ctx -> guarded(ctx, handler, true));
    }

    public void delete(String path, PageHandler handler) {
        routes.addHttpHandler(HandlerType.DELETE, path, ctx -> guarded(ctx, handler, true));
    }

    /** A page anyone may open (the login form), with the security headers but no session. */
    void open(HandlerType method, String path, Handler handler) {
        routes.addHttpHandler(method, path, ctx -> {
            securityHeaders(ctx);
            handler.handle(ctx);
        });
    }

    /** The viewer of the request's session cookie, if it has a live session. */
    java.util.Optional<Sessions.Session> session(Context ctx) {
        return sessions.find(cookie.read(ctx));
    }

    private void guarded(Context ctx, PageHandler handler, boolean changes) throws Exception {
        securityHeaders(ctx);
        var session = session(ctx);
        if (session.isEmpty()) {
            notLoggedIn(ctx, changes);
            return;
        }
        var viewer = Viewer.of(session.get());
        if (changes && !csrfMatches(ctx, viewer.csrfToken())) {
            ctx.status(403);
            templates.page(ctx, viewer, "Forbidden", "error.jte", new ErrorView(403, "The form was stale or not sent from this dashboard. Reload the page and try again."));
            return;
        }
        try {
            handler.handle(ctx, viewer);
        } catch (NotFoundException e) {
            ctx.status(404);
            templates.page(ctx, viewer, "Not found", "error.jte", new ErrorView(404, "There is no such page."));
        } catch (Forbidden e) {
            ctx.status(403);
            templates.page(ctx, viewer, "Forbidden", "error.jte", new ErrorView(403, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("dashboard request {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500);
            templates.page(ctx, viewer, "Error", "error.jte", new ErrorView(500, "The server failed; the error is logged."));
        }
    }

    /** What the error page says. */
    public record ErrorView(int status, String message) {}

    /**
     * Pages send the browser to the login form; htmx requests are told to (HX-Redirect), as a
     * redirect would be swapped into the page; a change without a session is refused, but for
     * logging out, which a session that expired meanwhile has done already.
     */
    private static void notLoggedIn(Context ctx, boolean changes) {
        if ("true".equals(ctx.header("HX-Request"))) {
            ctx.status(401).header("HX-Redirect", LoginPage.PATH);
        } else if (ctx.path().equals(LoginPage.LOGOUT)) {
            ctx.redirect(LoginPage.PATH, io.javalin.http.HttpStatus.SEE_OTHER); // the session ended already: logged out is where they wanted to be
        } else if (changes) {
            ctx.status(403).html("Log in first.");
        } else {
            ctx.redirect(LoginPage.PATH, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private static boolean csrfMatches(Context ctx, String expected) {
        var sent = ctx.header(CSRF_HEADER);
        if (sent == null) {
            sent = ctx.formParam(CSRF_FIELD);
        }
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        // pages show one client's data: not for shared caches, nor to be shown again from history after logout
        ctx.header("Cache-Control", "no-store");
    }
}
