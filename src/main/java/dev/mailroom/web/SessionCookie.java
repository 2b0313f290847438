package dev.mailroom.web;

import io.javalin.http.Context;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Path=/, Secure unless {@code http.secure_cookies} is false. Secure, it is named with the
 * {@code __Host-} prefix, which browsers accept only from this host, over HTTPS (or localhost),
 * for Path=/: a sibling subdomain cannot plant one. No Max-Age: it ends with the browser, and the
 * server ends it earlier (see Sessions).
 */
final class SessionCookie {
    static final String NAME = "__Host-mailroom_session";
    static final String PLAIN_NAME = "mailroom_session";
    private final boolean secure;
    private final String name;

    SessionCookie(boolean secure) {
        this.secure = secure;
        this.name = secure ? NAME : PLAIN_NAME;
    }

    String read(Context ctx) {
        return ctx.cookie(name);
    }

    void set(Context ctx, String token) {
        ctx.res().addHeader("Set-Cookie", name + "=" + token + attributes());
    }

    void clear(Context ctx) {
        ctx.res().addHeader("Set-Cookie", name + "=" + attributes() + "; Max-Age=0");
    }

    private String attributes() {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
