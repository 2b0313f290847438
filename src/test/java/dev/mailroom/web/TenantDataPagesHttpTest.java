package dev.mailroom.web;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.api.TestServer;
import dev.mailroom.events.webhooks.WebhookReceiver;
import dev.mailroom.submission.SendingFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant tabs of suppressions, events and messages, and webhooks over plain HTTP: they show
 * what the API shows for the tenant, agency roles change the suppression list, a client viewer
 * only reads, and another tenant's anything is not found.
 */
class TenantDataPagesHttpTest {
    @TempDir
    static Path dir;
    private static SendingFixture fixture;
    private static TestServer server;
    private static WebhookReceiver receiver;
    private static String tenantA;
    private static String tenantB;
    private static String messageA;
    private static String webhookA;
    private static String webhookB;

    @BeforeAll
    static void start() throws Exception {
        fixture = SendingFixture.start(dir, null, 0, Map.of("MAILROOM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server = fixture.server();
        receiver = new WebhookReceiver();
        tenantA = fixture.createTenant("Acme Newsletters");
        tenantB = fixture.createTenant("Globex Billing");
        webhookA = server.post("/v1/webhooks", ADMIN_KEY, "{\"tenant_id\":\"" + tenantA + "\",\"url\":\"" + receiver.url() + "\"}").text("id");
        webhookB = server.post("/v1/webhooks", ADMIN_KEY, "{\"tenant_id\":\"" + tenantB + "\",\"url\":\"" + receiver.url() + "/b\"}").text("id");
        fixture.verifiedDomain(tenantA, "a." + SendingFixture.ZONE, "transactional");
        var key = fixture.key(tenantA, "\"send\",\"read\"", null);
        messageA = server.post("/v1/messages", key, "{\"from\":\"hi@a." + SendingFixture.ZONE + "\",\"to\":[\"someone@inbox."
                + SendingFixture.ZONE + "\"],\"subject\":\"Hello\",\"text\":\"Hi\"}").text("id");
        server.post("/v1/tenants/" + tenantA + "/pause", ADMIN_KEY, "{\"reason\":\"checking the list\"}");
        server.post("/v1/tenants/" + tenantA + "/resume", ADMIN_KEY, "{}");
        suppress(tenantA, "complainer@example.com", "complaint");
        suppress(tenantB, "globex-only@example.com", "manual");
        DashboardClient.createUser(server, "admin@agency.example", "agency_admin", null);
        DashboardClient.createUser(server, "viewer@acme.example", "client_viewer", tenantA);
        // the dispatcher delivers tenant A's events to the receiver meanwhile
        var deadline = Instant.now().plusSeconds(20);
        while (server.get("/v1/webhooks/" + webhookA + "/deliveries", ADMIN_KEY).json().path("data").isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theSuppressionsTabShowsTheTenantsListAndExportsWhatTheApiExports() {
        var admin = logIn("admin@agency.example");
        var page = admin.get("/tenants/" + tenantA + "/suppressions");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("complainer@example.com", "complaint", "every domain", "aria-current=\"page\">Suppressions")
                .doesNotContain("globex-only@example.com");
        assertThat(admin.get("/tenants/" + tenantA + "/suppressions?email=nobody@example.com").body()).doesNotContain("complainer@example.com");
        assertThat(admin.get("/tenants/" + tenantA + "/suppressions?email=Complainer@example.com").body()).contains("complainer@example.com");

        var export = admin.get("/tenants/" + tenantA + "/suppressions/export");
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(export.body()).isEqualTo(server.get("/v1/suppressions/export?tenant_id=" + tenantA, ADMIN_KEY).body());
    }

    @Test
    void theAgencyAddsRemovesAndImportsSuppressions() {
        var admin = logIn("admin@agency.example");
        var path = "/tenants/" + tenantA + "/suppressions";
        var csrf = DashboardClient.csrf(admin.get(path));

        var added = admin.post(path, Map.of("_csrf", csrf, "email", "Added@Example.com", "reason", "unsubscribe", "domain_id", ""));
        assertThat(added.statusCode()).isEqualTo(303);
        var entry = apiEntry(tenantA, "added@example.com");
        assertThat(entry.path("reason").asText()).isEqualTo("unsubscribe");
        assertThat(admin.get(path).body()).contains("added@example.com", "unsubscribe");

        var refused = admin.post(path, Map.of("_csrf", csrf, "email", "not an address", "reason", "manual"));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("id=\"add-email-error\"", "value=\"not an address\"");

        assertThat(admin.post(path + "/" + entry.path("id").asText() + "/remove", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(apiEntry(tenantA, "added@example.com").isMissingNode()).isTrue();

        var bad = upload(admin, path + "/import", csrf, "ok@example.com\nnot-an-address\nthird@example.com,whatever\n");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("Nothing was imported", "line 2:", "line 3:");
        assertThat(apiEntry(tenantA, "ok@example.com").isMissingNode()).as("all or nothing").isTrue();

        var good = upload(admin, path + "/import", csrf, "email,reason\nok@example.com\ncomplainer@example.com,complaint\n");
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.body()).contains("Imported 2 lines: 1 added, 1 already suppressed.");
        assertThat(apiEntry(tenantA, "ok@example.com").path("reason").asText()).isEqualTo("manual");
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefused() {
        var admin = logIn("admin@agency.example");
        var response = admin.post("/tenants/" + tenantA + "/suppressions", Map.of("email", "nocsrf@example.com", "reason", "manual"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(apiEntry(tenantA, "nocsrf@example.com").isMissingNode()).isTrue();
    }

    @Test
    void aClientViewerReadsItsTabsWithoutButtonsAndIsRefusedChanges() {
        var viewer = logIn("viewer@acme.example");
        var path = "/tenants/" + tenantA + "/suppressions";
        var page = viewer.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("complainer@example.com", "Export as CSV").doesNotContain("Remove", "Import CSV", "Add an address");
        assertThat(viewer.get(path + "/export").statusCode()).isEqualTo(200);
        var csrf = DashboardClient.csrf(page);
        var entryId = apiEntry(tenantA, "complainer@example.com").path("id").asText();
        assertThat(viewer.post(path, Map.of("_csrf", csrf, "email", "viewer-added@example.com", "reason", "manual")).statusCode()).isEqualTo(403);
        assertThat(viewer.post(path + "/" + entryId + "/remove", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(upload(viewer, path + "/import", csrf, "viewer-import@example.com\n").statusCode()).isEqualTo(403);
        assertThat(apiEntry(tenantA, "viewer-added@example.com").isMissingNode()).isTrue();
        assertThat(apiEntry(tenantA, "complainer@example.com").isMissingNode()).isFalse();

        assertThat(viewer.get("/tenants/" + tenantA + "/events").statusCode()).isEqualTo(200);
        assertThat(viewer.get("/tenants/" + tenantA + "/messages/" + messageA).statusCode()).isEqualTo(200);
        var webhooks = viewer.get("/tenants/" + tenantA + "/webhooks");
        assertThat(webhooks.statusCode()).isEqualTo(200);
        assertThat(webhooks.body()).contains(receiver.url()).doesNotContain("<button type=\"submit\" aria-label");
    }

    @Test
    void aClientViewerFindsNoOtherTenantsTabsNorMessages() {
        var viewer = logIn("viewer@acme.example");
        var csrf = DashboardClient.csrf(viewer.get("/tenants/" + tenantA + "/events"));
        for (var path : List.of("/tenants/" + tenantB + "/suppressions", "/tenants/" + tenantB + "/suppressions/export",
                "/tenants/" + tenantB + "/events", "/tenants/" + tenantB + "/messages/" + messageA, "/tenants/" + tenantB + "/messages?id=" + messageA,
                "/tenants/" + tenantB + "/webhooks", "/tenants/" + tenantB + "/webhooks/" + webhookB, "/tenants/" + tenantA + "/webhooks/" + webhookB)) {
            var response = viewer.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("Globex", "globex-only");
        }
        assertThat(viewer.post("/tenants/" + tenantB + "/suppressions", Map.of("_csrf", csrf, "email", "x@example.com", "reason", "manual"))
                .statusCode()).isEqualTo(404);
        // the agency too finds a message only under its own tenant
        assertThat(logIn("admin@agency.example").get("/tenants/" + tenantB + "/messages/" + messageA).statusCode()).isEqualTo(404);
    }

    @Test
    void theEventsTabListsTheTenantsEventsAsTheApiDoesAndFiltersByType() {
        var admin = logIn("admin@agency.example");
        var api = server.get("/v1/events?tenant_id=" + tenantA + "&limit=50", ADMIN_KEY).json().path("data");
        assertThat(api.size()).isGreaterThan(2);
        var page = admin.get("/tenants/" + tenantA + "/events").body();
        String paused = null;
        for (var event : api) {
            assertThat(page).contains("id=\"" + event.path("id").asText() + "\"", event.path("type").asText());
            if (event.path("type").asText().equals("tenant.paused")) {
                paused = event.path("id").asText();
            }
        }
        assertThat(paused).isNotNull();
        var filtered = admin.get("/tenants/" + tenantA + "/events?type=tenant.paused").body();
        assertThat(filtered).contains("id=\"" + paused + "\"", "checking the list").doesNotContain("tenant.resumed</td>");
    }

    @Test
    void theMessageLookupShowsEachRecipientAsTheApiDoes() {
        var admin = logIn("admin@agency.example");
        var lookup = admin.get("/tenants/" + tenantA + "/messages?id=" + messageA);
        assertThat(lookup.statusCode()).isEqualTo(303);
        assertThat(lookup.headers().firstValue("Location").orElseThrow()).isEqualTo("/tenants/" + tenantA + "/messages/" + messageA);
        var page = admin.get("/tenants/" + tenantA + "/messages/" + messageA);
        assertThat(page.statusCode()).isEqualTo(200);
        var api = server.get("/v1/messages/" + messageA, ADMIN_KEY).json();
        assertThat(page.body()).contains(messageA, "Hello", api.path("from").asText());
        for (var recipient : api.path("recipients")) {
            assertThat(page.body()).contains(recipient.path("email").asText(),
                    "<span class=\"recipient-status\">" + recipient.path("status").asText() + "</span>",
                    "<td>" + recipient.path("attempts").asInt() + "</td>");
        }
        assertThat(admin.get("/tenants/" + tenantA + "/messages/msg_01aaaaaaaaaaaaaaaaaaaaaaaa").statusCode()).isEqualTo(404);
    }

    @Test
    void theWebhooksTabShowsTheEndpointsAndTheirDeliveryLog() {
        var admin = logIn("admin@agency.example");
        var list = admin.get("/tenants/" + tenantA + "/webhooks").body();
        assertThat(list).contains(receiver.url(), "every event", "active", "/tenants/" + tenantA + "/webhooks/" + webhookA)
                .doesNotContain(webhookB);
        var api = server.get("/v1/webhooks/" + webhookA + "/deliveries", ADMIN_KEY).json().path("data");
        assertThat(api.size()).as("deliveries made").isPositive();
        var log = admin.get("/tenants/" + tenantA + "/webhooks/" + webhookA).body();
        for (var delivery : api) {
            assertThat(log).contains(delivery.path("event_id").asText(), delivery.path("event_type").asText(),
                    "HTTP " + delivery.path("status_code").asInt());
        }
    }

    private static void suppress(String tenant, String email, String reason) {
        var response = server.post("/v1/suppressions", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"email\":\"" + email + "\",\"reason\":\"" + reason + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    /** The API's entry for an address of a tenant, or a missing node. */
    private static com.fasterxml.jackson.databind.JsonNode apiEntry(String tenant, String email) {
        return server.get("/v1/suppressions?tenant_id=" + tenant + "&email=" + email, ADMIN_KEY).json().path("data").path(0);
    }

    private static DashboardClient logIn(String email) {
        var client = new DashboardClient(server);
        assertThat(client.login(email, DashboardClient.PASSWORD).statusCode()).isEqualTo(303);
        return client;
    }

    /** The import form as a browser sends it: multipart, the file and the CSRF field. */
    private static HttpResponse<String> upload(DashboardClient client, String path, String csrf, String csv) {
        var boundary = "----mailroom-test-boundary";
        var parts = new ArrayList<String>();
        parts.add("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n");
        parts.add("--" + boundary + "\r\nContent-Disposition: form-data; name=\"domain_id\"\r\n\r\n\r\n");
        parts.add("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n");
        var body = String.join("", parts) + "--" + boundary + "--\r\n";
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.mailroom().httpPort() + path))
                .header("Cookie", SessionCookie.NAME + "=" + client.sessionToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
