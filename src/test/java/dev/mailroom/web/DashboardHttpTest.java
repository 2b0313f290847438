package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.api.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's rules over plain HTTP: sessions, CSRF, role guards, headers; the browser tests show the same from a browser. */
class DashboardHttpTest {
    @TempDir
    Path dir;
    private TestServer server;
    private String tenantA;
    private String tenantB;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
        tenantA = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
        tenantB = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client B\"}").text("id");
        DashboardClient.createUser(server, "admin@agency.example", "agency_admin", null);
        DashboardClient.createUser(server, "viewer@client-a.example", "client_viewer", tenantA);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void loginSetsAStrictHttpOnlySecureCookieAndShowsTheTenants() {
        var client = new DashboardClient(server);
        assertThat(client.get("/").statusCode()).isEqualTo(303);
        assertThat(client.get("/").headers().firstValue("Location")).contains("/login");

        var login = client.login("Admin@Agency.example", DashboardClient.PASSWORD);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).contains("/");
        assertThat(login.headers().firstValue("Set-Cookie")).get().asString()
                .startsWith("__Host-mailroom_session=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure");

        var overview = client.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Client A", "Client B", "href=\"/tenants/" + tenantB + "\"", "admin@agency.example", "agency admin");
        var headers = overview.headers();
        assertThat(headers.firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'").doesNotContain("unsafe-inline");
        assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
        assertThat(headers.firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(overview.body()).doesNotContain("<script>").doesNotContain("style=");
    }

    @Test
    void aWrongPasswordStaysOnTheFormAndRepeatedFailuresAreThrottled() {
        var client = new DashboardClient(server);
        var wrong = client.login("admin@agency.example", "not the password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong email or password").contains("value=\"admin@agency.example\"");
        assertThat(wrong.headers().allValues("Set-Cookie")).isEmpty();
        for (int i = 1; i < Dashboard.FAILURES_PER_EMAIL; i++) {
            client.login("admin@agency.example", "not the password " + i);
        }
        var throttled = client.login("admin@agency.example", DashboardClient.PASSWORD);
        assertThat(throttled.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(throttled.body()).contains("Too many failed attempts");
        assertThat(client.login("viewer@client-a.example", DashboardClient.PASSWORD).statusCode()).as("another email is not held up").isEqualTo(303);
    }

    @Test
    void aLoginFormPostedFromAnotherSiteIsRefused() {
        var client = new DashboardClient(server);
        var response = client.send("POST", "/login?email=x", Map.of("Origin", "https://evil.example"));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void changesNeedTheSessionsCsrfTokenAndLogoutEndsTheSession() {
        var client = new DashboardClient(server);
        client.login("admin@agency.example", DashboardClient.PASSWORD);
        var page = client.get("/");
        var token = DashboardClient.csrf(page);
        assertThat(page.body()).contains("hx-headers=\"{&#34;X-CSRF-Token&#34;: &#34;" + token + "&#34;}\"");

        assertThat(client.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(client.post("/logout", Map.of("_csrf", token + "x")).statusCode()).isEqualTo(403);
        assertThat(client.get("/").statusCode()).as("still logged in").isEqualTo(200);

        var logout = client.post("/logout", Map.of("_csrf", token));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).contains("/login");
        assertThat(logout.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
        assertThat(client.get("/").statusCode()).as("the old cookie is worthless").isEqualTo(303);
        var htmx = client.send("GET", "/", Map.of("HX-Request", "true"));
        assertThat(htmx.statusCode()).isEqualTo(401);
        assertThat(htmx.headers().firstValue("HX-Redirect")).contains("/login");
    }

    @Test
    void eachLoginGetsANewSessionAndTheOldOneEnds() {
        var client = new DashboardClient(server);
        client.login("admin@agency.example", DashboardClient.PASSWORD);
        var first = client.sessionToken();
        client.login("admin@agency.example", DashboardClient.PASSWORD);
        assertThat(client.sessionToken()).isNotEqualTo(first);
        assertThat(client.get("/").statusCode()).isEqualTo(200);
        client.useSession(first);
        assertThat(client.get("/").statusCode()).isEqualTo(303);
    }

    @Test
    void aClientViewerSeesItsOwnTenantOnlyAndOthersAsNotFound() {
        var client = new DashboardClient(server);
        client.login("viewer@client-a.example", DashboardClient.PASSWORD);
        var home = client.get("/");
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).contains("/tenants/" + tenantA);

        var own = client.get("/tenants/" + tenantA);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("Client A", "client viewer").doesNotContain("Client B");

        var other = client.get("/tenants/" + tenantB);
        var missing = client.get("/tenants/tnt_01aaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(other.body()).isEqualTo(missing.body()).doesNotContain("Client B");
    }

    @Test
    void theApiTakesNoSessionCookie() {
        var client = new DashboardClient(server);
        client.login("admin@agency.example", DashboardClient.PASSWORD);
        assertThat(client.get("/v1/tenants").statusCode()).isEqualTo(401);
    }

    @Test
    void assetsComeFromTheServerWithLongCacheHeaders() {
        var client = new DashboardClient(server);
        var login = client.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        var scripts = java.util.regex.Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(login.body()).results()
                .map(match -> match.group(1).replace("&amp;", "&")).toList();
        assertThat(scripts).anyMatch(path -> path.contains("/htmx.org/")).anyMatch(path -> path.contains("/uplot/"))
                .anyMatch(path -> path.startsWith("/assets/mailroom.css?v=")).anyMatch(path -> path.startsWith("/assets/mailroom.js?v="));
        for (var path : scripts) {
            var asset = client.get(path);
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).as(path).get().asString().contains("max-age=31536000");
        }
    }
}
