package dev.mailroom.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Links with a query: values are URL-encoded, absent ones left out (a search for "a&b" pages as "a&b"). */
final class Links {
    private Links() {}

    /** {@code path?name=value&...} from name, value pairs. */
    static String withQuery(String path, String... namesAndValues) {
        var query = new StringJoiner("&");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            var value = namesAndValues[i + 1];
            if (value != null && !value.isEmpty()) {
                query.add(namesAndValues[i] + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.length() == 0 ? path : path + "?" + query;
    }
}
