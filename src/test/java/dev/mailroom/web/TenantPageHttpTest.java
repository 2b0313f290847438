package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.api.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tenant overview's data route and the domains tab over plain HTTP: what each role reaches and may do. */
class TenantPageHttpTest {
    @TempDir
    static Path dir;
    private static TestServer server;
    private static String tenantA;
    private static String tenantB;
    private static String domainA;
    private static String domainB;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, null);
        tenantA = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
        tenantB = server.post("/v1/tenants", TestServer.ADMIN_KEY, "{\"name\":\"Client B\"}").text("id");
        domainA = addDomain(tenantA, "a.example");
        domainB = addDomain(tenantB, "b.example");
        DashboardClient.createUser(server, "operator@agency.example", "agency_operator", null);
        DashboardClient.createUser(server, "viewer@client-a.example", "client_viewer", tenantA);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theStatsRouteAnswersForTheViewersTenantOnly() throws Exception {
        var viewer = logIn("viewer@client-a.example");
        var daily = viewer.get("/tenants/" + tenantA + "/stats.json?interval=day");
        assertThat(daily.statusCode()).isEqualTo(200);
        assertThat(daily.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        var json = new ObjectMapper().readTree(daily.body());
        assertThat(json.path("interval").asText()).isEqualTo("day");
        assertThat(json.path("data_path").asText()).isEqualTo("/tenants/" + tenantA + "/stats.json?interval=day");
        // 30 days back from now, by day: 31 buckets, the current one included
        assertThat(json.path("points")).hasSize(31);
        assertThat(json.path("points").get(0).fieldNames()).toIterable()
                .containsExactly("start", "sent", "delivered", "bounced", "complained", "opened", "clicked");
        assertThat(new ObjectMapper().readTree(viewer.get("/tenants/" + tenantA + "/stats.json").body()).path("points")).hasSize(49);
        assertThat(viewer.get("/tenants/" + tenantA + "/stats.json?interval=week").statusCode()).isEqualTo(400);

        assertThat(viewer.get("/tenants/" + tenantB + "/stats.json?interval=hour").statusCode()).isEqualTo(404);
        assertThat(viewer.get("/tenants/no-such-tenant/stats.json").statusCode()).isEqualTo(404);
        assertThat(logIn("operator@agency.example").get("/tenants/" + tenantB + "/stats.json").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientViewerSeesItsRecordsWithoutTheCheckButtonAndMayNotCheck() {
        var viewer = logIn("viewer@client-a.example");
        var page = viewer.get("/tenants/" + tenantA + "/domains");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("a.example", "id=\"domain-" + domainA + "\"", "dkim", "required", "pending", "class=\"copy\"")
                .doesNotContain("Check now").doesNotContain("/check\"");
        var check = viewer.post("/tenants/" + tenantA + "/domains/" + domainA + "/check", Map.of(PageRoutes.CSRF_FIELD, DashboardClient.csrf(page)));
        assertThat(check.statusCode()).isEqualTo(403);

        assertThat(viewer.get("/tenants/" + tenantB + "/domains").statusCode()).isEqualTo(404);
    }

    @Test
    void anOperatorChecksOnlyThroughTheDomainsTenantAndWithTheFormsToken() {
        var operator = logIn("operator@agency.example");
        var page = operator.get("/tenants/" + tenantA + "/domains");
        assertThat(page.body()).contains("Check now", "action=\"/tenants/" + tenantA + "/domains/" + domainA + "/check\"");
        assertThat(operator.post("/tenants/" + tenantA + "/domains/" + domainA + "/check", Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
        // B's domain under A's page: as absent as any unknown domain
        var crossed = operator.post("/tenants/" + tenantA + "/domains/" + domainB + "/check", Map.of(PageRoutes.CSRF_FIELD, DashboardClient.csrf(page)));
        assertThat(crossed.statusCode()).isEqualTo(404);
    }

    private static DashboardClient logIn(String email) {
        var client = new DashboardClient(server);
        assertThat(client.login(email, DashboardClient.PASSWORD).statusCode()).isEqualTo(303);
        return client;
    }

    private static String addDomain(String tenant, String name) {
        var response = server.post("/v1/domains", TestServer.ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"name\":\"" + name + "\",\"stream\":\"transactional\",\"setup\":\"txt\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }
}
