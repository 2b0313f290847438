package dev.mailroom.api;

import dev.mailroom.store.Page;
import dev.mailroom.tenancy.ValidationException;
import io.javalin.http.Context;

/** {@code ?limit=&cursor=} of list endpoints; the cursor is the last id of the previous page. */
record Paging(String cursor, int limit) {
    static Paging of(Context ctx) {
        var limitText = ctx.queryParam("limit");
        int limit = Page.DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw new ValidationException("limit", "must be a whole number");
            }
            if (limit < 1 || limit > Page.MAX_LIMIT) {
                throw new ValidationException("limit", "must be between 1 and " + Page.MAX_LIMIT);
            }
        }
        return new Paging(ctx.queryParam("cursor"), limit);
    }
}
