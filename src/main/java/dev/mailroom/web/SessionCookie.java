package dev.mailroom.web;

import io.javalin.http.Context;

/**
 * The session cookie {@code mailroom_session}: HttpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), Path=/, Secure unless {@code http.secure_cookies} is false.
 * No Max-Age: it ends with the browser, and the server ends it earlier (see Sessions).
 */
final class SessionCookie {
    static final String NAME = "mailroom_session";
    private final boolean secure;

    SessionCookie(boolean secure) {
        this.secure = secure;
    }

    String read(Context ctx) {
        return ctx.cookie(NAME);
    }

    void set(Context ctx, String token) {
        ctx.res().addHeader("Set-Cookie", NAME + "=" + token + attributes());
    }

    void clear(Context ctx) {
        ctx.res().addHeader("Set-Cookie", NAME + "=" + attributes() + "; Max-Age=0");
    }

    private String attributes() {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
