package dev.mailroom.web;

import dev.mailroom.api.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A dashboard user without a browser: plain HTTP, the session cookie kept by hand, redirects
 * not followed, so tests see each answer as it is. Also makes users through {@code /v1/users}.
 */
final class DashboardClient {
    static final String PASSWORD = "a long enough passphrase";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private String session;

    DashboardClient(TestServer server) {
        this.base = "http://127.0.0.1:" + server.mailroom().httpPort();
    }

    /** A user made with the admin key, as the README tells agencies to make their first one; returns its id. */
    static String createUser(TestServer server, String email, String role, String tenantId) {
        var body = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\""
                + (tenantId == null ? "" : ",\"tenant_id\":\"" + tenantId + "\"") + "}";
        var created = server.post("/v1/users", TestServer.ADMIN_KEY, body);
        if (created.status() != 201) {
            throw new AssertionError("creating " + email + ": " + created.body());
        }
        return created.text("id");
    }

    HttpResponse<String> login(String email, String password) {
        var response = send(form("POST", "/login", Map.of("email", email, "password", password)).header("Origin", base));
        response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(SessionCookie.NAME + "="))
                .findFirst()
                .ifPresent(cookie -> session = cookie.substring(SessionCookie.NAME.length() + 1, cookie.indexOf(';')));
        return response;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, Map<String, String> fields) {
        return send(form("POST", path, fields));
    }

    /** A request with extra headers, e.g. htmx's. */
    HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        var builder = request(path).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(builder::header);
        return send(builder);
    }

    /** The CSRF token the dashboard puts in its forms, read from a page. */
    static String csrf(HttpResponse<String> page) {
        var matcher = CSRF.matcher(page.body());
        if (!matcher.find()) {
            throw new AssertionError("no CSRF field in " + page.body());
        }
        return matcher.group(1);
    }

    String sessionToken() {
        return session;
    }

    void useSession(String token) {
        session = token;
    }

    private HttpRequest.Builder form(String method, String path, Map<String, String> fields) {
        var body = new LinkedHashMap<>(fields).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return request(path).header("Content-Type", "application/x-www-form-urlencoded").method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(URI.create(base + path));
        if (session != null) {
            builder.header("Cookie", SessionCookie.NAME + "=" + session);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
