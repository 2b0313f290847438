package dev.mailroom.api;

import dev.mailroom.tracking.Tracker;
import dev.mailroom.tracking.Unsubscribe;
import dev.mailroom.tracking.Visit;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The URLs Mailroom puts into sent mail, on the clients' {@code t.<domain>} hosts (CNAMEs to
 * {@code track.<platform_domain>}), without API keys: {@code /c/} clicks, {@code /o/} the open
 * pixel, {@code /u/} unsubscribe (RFC 8058 one-click POST; GET shows a page that asks first).
 * The rules are {@link Tracker}'s; this class speaks HTTP.
 */
final class TrackingRoutes {
    /** A transparent 1x1 GIF (43 bytes). */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
    /** The pages show an address: nothing on them may load, run or post elsewhere. */
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";
    private static final String ONE_CLICK = "One-Click";
    private final Tracker tracker;

    TrackingRoutes(Tracker tracker) {
        this.tracker = tracker;
    }

    void register(RouteTable routes) {
        routes.get("/c/{token}", this::click);
        routes.get("/o/{token}", this::open);
        routes.get("/u/{token}", this::unsubscribePage);
        routes.post("/u/{token}", this::unsubscribe);
    }

    private void click(Context ctx) {
        var url = tracker.click(ctx.pathParam("token"), visit(ctx));
        if (url.isPresent()) {
            ctx.status(302).header("Location", location(url.get())).header("Cache-Control", "no-store");
        } else {
            page(ctx, 404, TrackingPages.invalid());
        }
    }

    /** The pixel, whatever the token: a broken image would show in the message. */
    private void open(Context ctx) {
        tracker.open(ctx.pathParam("token"), visit(ctx));
        ctx.contentType("image/gif").header("Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0")
                .header("Pragma", "no-cache").header("Expires", "0").result(PIXEL);
    }

    private void unsubscribePage(Context ctx) {
        var target = tracker.unsubscribeTarget(ctx.pathParam("token"), visit(ctx));
        if (target.isEmpty()) {
            page(ctx, 404, TrackingPages.invalid());
            return;
        }
        switch (target.get()) {
            case Unsubscribe.Recipient recipient -> page(ctx, 200, TrackingPages.confirm(recipient));
            case Unsubscribe.Shared shared -> page(ctx, 200, TrackingPages.shared(shared));
        }
    }

    /** RFC 8058: the body is {@code List-Unsubscribe=One-Click}, form-encoded or multipart; no redirect in the answer. */
    private void unsubscribe(Context ctx) {
        if (!ONE_CLICK.equals(ctx.formParam("List-Unsubscribe"))) {
            page(ctx, 400, TrackingPages.confirmationMissing());
            return;
        }
        var done = tracker.unsubscribe(ctx.pathParam("token"), visit(ctx));
        if (done.isEmpty()) {
            page(ctx, 404, TrackingPages.invalid());
            return;
        }
        switch (done.get()) {
            case Unsubscribe.Recipient recipient -> page(ctx, 200, TrackingPages.unsubscribed(recipient));
            case Unsubscribe.Shared shared -> page(ctx, 400, TrackingPages.shared(shared));
        }
    }

    private static Visit visit(Context ctx) {
        return new Visit(ctx.host(), ctx.userAgent(), ctx.ip());
    }

    /** A page for a person: never cached, and nothing on it may load, run or post elsewhere. */
    static void page(Context ctx, int status, String html) {
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
                .header("Content-Security-Policy", PAGE_POLICY).result(html);
    }

    /**
     * A URL as a Location header can carry it: what is not printable ASCII (spaces, letters with
     * accents left in an href) percent-encoded as UTF-8, as a browser would have sent it.
     */
    static String location(String url) {
        var out = new StringBuilder(url.length());
        for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
            if (b > 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
