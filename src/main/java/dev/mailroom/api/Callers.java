package dev.mailroom.api;

import dev.mailroom.tenancy.ApiKey;
import dev.mailroom.tenancy.ApiKeyService;
import dev.mailroom.tenancy.Permission;
import io.javalin.http.Context;

/** Who is calling: the API key of the request, found by the before-handler and checked by each route. */
final class Callers {
    private static final String ATTRIBUTE = "mailroom.api-key";
    private static final String BEARER = "Bearer ";

    private Callers() {}

    static void authenticate(Context ctx, ApiKeyService keys) {
        var header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized("send an API key as 'Authorization: Bearer <key>'");
        }
        var key = keys.authenticate(header.substring(BEARER.length()).strip());
        if (key.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw ApiException.unauthorized("the API key is not valid or has been revoked");
        }
        ctx.attribute(ATTRIBUTE, key.get());
    }

    /** The caller, if it holds {@code permission}; otherwise the request ends with 403. */
    static ApiKey require(Context ctx, Permission permission) {
        ApiKey key = ctx.attribute(ATTRIBUTE);
        if (key == null) {
            throw ApiException.unauthorized("send an API key as 'Authorization: Bearer <key>'");
        }
        if (!key.allows(permission)) {
            throw ApiException.forbidden("this key lacks the '" + Json.wireName(permission) + "' permission");
        }
        return key;
    }

    /** As {@link #require}, and the key must be an agency key (not tied to one tenant). */
    static ApiKey requireAgency(Context ctx, Permission permission) {
        var key = require(ctx, permission);
        if (key.tenantId() != null) {
            throw ApiException.forbidden("only an agency key may do this; this key belongs to tenant " + key.tenantId());
        }
        return key;
    }

    /** As {@link #require}, and the key must reach every domain of its tenant. */
    static ApiKey requireUnrestricted(Context ctx, Permission permission) {
        var key = require(ctx, permission);
        if (key.domainIds() != null) {
            throw ApiException.forbidden("this key is limited to some domains and cannot do this");
        }
        return key;
    }
}
