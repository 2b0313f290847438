package dev.mailroom.web;

import dev.mailroom.tenancy.Sessions;
import dev.mailroom.tenancy.UserService;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.Locale;

/** {@code /login} and {@code /logout}: the password form, and ending the session. */
public final class LoginPage {
    static final String PATH = "/login";
    static final String LOGOUT = "/logout";
    private final UserService users;
    private final Sessions sessions;
    private final SessionCookie cookie;
    private static final int CONCURRENT_CHECKS = 4;
    private static final java.util.concurrent.Semaphore HASHING = new java.util.concurrent.Semaphore(CONCURRENT_CHECKS);
    private final LoginThrottle byEmail;
    private final LoginThrottle byAddress;
    private final Templates templates;

    LoginPage(UserService users, Sessions sessions, SessionCookie cookie, LoginThrottle byEmail, LoginThrottle byAddress, Templates templates) {
        this.users = users;
        this.sessions = sessions;
        this.cookie = cookie;
        this.byEmail = byEmail;
        this.byAddress = byAddress;
        this.templates = templates;
    }

    /** What the form shows: an error after a failed attempt, and the email typed. */
    public record View(String error, String email) {}

    void register(PageRoutes routes) {
        routes.open(HandlerType.GET, PATH, ctx -> {
            if (routes.session(ctx).isPresent()) {
                ctx.redirect(OverviewPage.PATH, HttpStatus.SEE_OTHER);
            } else {
                templates.page(ctx, null, "Log in", "login.jte", new View(null, ""));
            }
        });
        routes.open(HandlerType.POST, PATH, this::logIn);
        routes.post(LOGOUT, (ctx, viewer) -> {
            sessions.end(cookie.read(ctx));
            cookie.clear(ctx);
            ctx.redirect(PATH, HttpStatus.SEE_OTHER);
        });
    }

    private void logIn(Context ctx) throws InterruptedException {
        if (!sameOrigin(ctx)) {
            // no session to hold a CSRF token yet: another site's form must not log a browser in to an account of its choosing
            ctx.status(403).html("Log in from Mailroom's own page.");
            return;
        }
        var email = ctx.formParam("email") == null ? "" : ctx.formParam("email").strip();
        var password = ctx.formParam("password");
        var emailKey = "email:" + email.toLowerCase(Locale.ROOT);
        var addressKey = "ip:" + ctx.ip();
        if (!byAddress.attempt(addressKey) || !byEmail.attempt(emailKey)) {
            ctx.status(429);
            templates.page(ctx, null, "Log in", "login.jte", new View("Too many failed attempts. Wait 15 minutes and try again.", email));
            return;
        }
        var user = checkPassword(email, password);
        if (user.isEmpty()) {
            ctx.status(401);
            templates.page(ctx, null, "Log in", "login.jte", new View("Wrong email or password.", email));
            return;
        }
        byEmail.succeeded(emailKey);
        // a new session at every login, and the one the browser had (if any) ends: no fixation
        sessions.end(cookie.read(ctx));
        cookie.set(ctx, sessions.start(user.get()).token());
        ctx.redirect(OverviewPage.PATH, HttpStatus.SEE_OTHER);
    }

    /**
     * Checks a password with at most {@link #CONCURRENT_CHECKS} hashes at a time: each Argon2 check
     * takes 19 MiB, and a burst of logins must not take the heap with it.
     */
    private java.util.Optional<dev.mailroom.tenancy.User> checkPassword(String email, String password) throws InterruptedException {
        if (!HASHING.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)) {
            return java.util.Optional.empty();
        }
        try {
            return users.authenticate(email, password);
        } finally {
            HASHING.release();
        }
    }

    /** A browser says where a form came from (Origin); it must be this server. Clients that send no Origin are not browsers posting across sites. */
    private static boolean sameOrigin(Context ctx) {
        var origin = ctx.header("Origin");
        if (origin == null) {
            return !"cross-site".equals(ctx.header("Sec-Fetch-Site"));
        }
        try {
            var authority = URI.create(origin).getAuthority();
            return authority != null && authority.equalsIgnoreCase(ctx.host());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
