package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.store.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Thresholds per tenant and the health page over HTTP: who may see and change what, and bad input named. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class ReputationApiTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dataDir;

    private TestDatabase.Instance database;
    private TestServer server;

    @BeforeEach
    void start() {
        database = kind.create();
        server = TestServer.start(dataDir, database);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private String createTenant(String name) {
        var response = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }

    private String tenantKey(String tenant) {
        var response = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"read\",\"manage\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("key");
    }

    private static List<String> fields(TestServer.Response response) {
        assertThat(response.contentType()).startsWith(Problem.CONTENT_TYPE);
        var fields = new ArrayList<String>();
        response.json().path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    @Test
    void thresholdsAreSetPerTenantByTheAgencyAndCheckedField() {
        var tenant = createTenant("Client A");
        var defaults = server.get("/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY).json();
        assertThat(defaults.path("thresholds").path("complaint_rate.critical").asDouble()).isEqualTo(0.002);
        assertThat(defaults.path("overrides").size()).isZero();

        var set = server.send("PUT", "/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY,
                "{\"bounce_rate\":{\"warning\":0.03,\"critical\":0.06},\"pause\":{\"complaint_rate\":0.004}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("thresholds").path("bounce_rate.warning").asDouble()).isEqualTo(0.03);
        assertThat(set.json().path("thresholds").path("complaint_rate.warning").asDouble()).as("left out: the default").isEqualTo(0.001);
        assertThat(set.json().path("thresholds").path("pause.complaint_rate").asDouble()).isEqualTo(0.004);

        var contradictory = server.send("PUT", "/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY, "{\"delivery_rate\":{\"warning\":0.8,\"critical\":0.9}}");
        assertThat(contradictory.status()).isEqualTo(422);
        assertThat(fields(contradictory)).containsExactly("delivery_rate.critical");
        var outOfRange = server.send("PUT", "/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY, "{\"bounce_rate\":{\"warning\":2}, \"x\":1}");
        assertThat(outOfRange.status()).isEqualTo(422);
        assertThat(fields(outOfRange)).contains("x");
        var notANumber = server.send("PUT", "/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY, "{\"bounce_rate\":{\"warning\":\"high\"}}");
        assertThat(fields(notANumber)).containsExactly("bounce_rate.warning");
        assertThat(server.get("/v1/tenants/" + tenant + "/thresholds", ADMIN_KEY).json().path("overrides").size())
                .as("refused changes change nothing").isEqualTo(3);

        var key = tenantKey(tenant);
        assertThat(server.send("PUT", "/v1/tenants/" + tenant + "/thresholds", key, "{}").status()).as("a client may not loosen its own").isEqualTo(403);
        assertThat(server.get("/v1/tenants/" + tenant + "/thresholds", key).status()).isEqualTo(200);
    }

    @Test
    void aTenantSeesItsOwnHealthOnly() {
        var a = createTenant("Client A");
        var b = createTenant("Client B");
        var keyA = tenantKey(a);
        var health = server.get("/v1/tenants/" + a + "/health", keyA);
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        var report = health.json();
        assertThat(report.path("status").asText()).isEqualTo("active");
        assertThat(report.path("lifecycle").asText()).isEqualTo("setup");
        assertThat(report.path("pool").path("id").asText()).isEqualTo("pool_starter");
        assertThat(report.path("rates").path("7d").path("counts").path("sent").asLong()).isZero();
        assertThat(report.path("min_volume").asInt()).isEqualTo(100);
        assertThat(report.path("lifecycle_history").get(0).path("state").asText()).isEqualTo("setup");
        assertThat(server.get("/v1/tenants/" + b + "/health", keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/tenants/" + b + "/thresholds", keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/alerts?tenant_id=" + b, keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/alerts?state=sometimes", keyA).status()).isEqualTo(422);
    }
}
