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

    private void logIn(Context ctx) {
        if (!sameOrigin(ctx)) {
            // no session to hold a CSRF token yet: another site's form must not log a browser in to an account of its choosing
            ctx.status(403).html("Log in from Mailroom's own page.");
            return;
        }
        var email = ctx.formParam("email") == null ? "" : ctx.formParam("email").strip();
        var password = ctx.formParam("password");
        var emailKey = "email:" + email.toLowerCase(Locale.ROOT);
        var addressKey = "ip:" + ctx.ip();
        if (byEmail.blocked(emailKey) || byAddress.blocked(addressKey)) {
            ctx.status(429);
            templates.page(ctx, null, "Log in", "login.jte", new View("Too many failed attempts. Wait 15 minutes and try again.", email));
            return;
        }
        var user = users.authenticate(email, password);
        if (user.isEmpty()) {
            byEmail.failed(emailKey);
            byAddress.failed(addressKey);
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
