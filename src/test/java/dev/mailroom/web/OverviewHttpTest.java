package dev.mailroom.web;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.api.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overview's actions over plain HTTP: who may press them, the CSRF check, and that they do what the API does. */
class OverviewHttpTest {
    @TempDir
    Path dir;
    private TestServer server;
    private String tenantA;
    private String tenantB;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null);
        tenantA = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
        tenantB = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client B\"}").text("id");
        assertThat(server.post("/v1/tenants/" + tenantB + "/pause", ADMIN_KEY, "{\"reason\":\"unpaid invoice\"}").status()).isEqualTo(200);
        DashboardClient.createUser(server, "operator@agency.example", "agency_operator", null);
        DashboardClient.createUser(server, "viewer@client-a.example", "client_viewer", tenantA);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientViewerIsSentToItsTenantAndMayNotResumeAnother() {
        var viewer = new DashboardClient(server);
        viewer.login("viewer@client-a.example", DashboardClient.PASSWORD);
        var home = viewer.get("/");
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).contains("/tenants/" + tenantA);
        var token = DashboardClient.csrf(viewer.get("/tenants/" + tenantA));

        assertThat(viewer.post("/tenants/" + tenantB + "/resume", Map.of("_csrf", token)).statusCode()).isEqualTo(403);
        assertThat(viewer.post("/tenants/" + tenantA + "/resume", Map.of("_csrf", token)).statusCode()).as("read-only, even its own").isEqualTo(403);
        assertThat(viewer.post("/tenants/" + tenantB + "/pool", Map.of("_csrf", token, "pool_id", "pool_starter")).statusCode()).isEqualTo(403);
        assertThat(status(tenantB)).isEqualTo("paused");
    }

    @Test
    void anOperatorResumesATenantAndIsToldSo() {
        var operator = new DashboardClient(server);
        operator.login("operator@agency.example", DashboardClient.PASSWORD);
        var overview = operator.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("Client A", "Client B", "paused", "No open alerts.", "The autopilot has not acted yet.",
                "aria-live=\"polite\"");
        var token = DashboardClient.csrf(overview);

        assertThat(operator.post("/tenants/" + tenantB + "/resume", Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
        assertThat(status(tenantB)).isEqualTo("paused");

        var resumed = operator.post("/tenants/" + tenantB + "/resume", Map.of("_csrf", token));
        assertThat(resumed.statusCode()).isEqualTo(303);
        assertThat(resumed.headers().firstValue("Location")).contains("/?done=resumed&tenant=" + tenantB);
        assertThat(status(tenantB)).isEqualTo("active");
        assertThat(operator.get(resumed.headers().firstValue("Location").orElseThrow()).body()).contains("Client B resumed: its status is active.");
    }

    @Test
    void anOperatorMovesATenantToAPoolAsTheApiDoes() {
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"dedicated\",\"tier\":\"standard\"}").text("id");
        var operator = new DashboardClient(server);
        operator.login("operator@agency.example", DashboardClient.PASSWORD);
        var token = DashboardClient.csrf(operator.get("/"));

        var moved = operator.post("/tenants/" + tenantA + "/pool", Map.of("_csrf", token, "pool_id", pool));
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(server.get("/v1/tenants/" + tenantA, ADMIN_KEY).text("pool")).isEqualTo(pool);
        assertThat(operator.get(moved.headers().firstValue("Location").orElseThrow()).body()).contains("Client A moved: its pool is dedicated.");
        assertThat(operator.post("/tenants/" + tenantA + "/pool", Map.of("_csrf", token, "pool_id", "pool_nonesuch")).statusCode()).isEqualTo(404);
    }

    private String status(String tenantId) {
        return server.get("/v1/tenants/" + tenantId, ADMIN_KEY).text("status");
    }
}
