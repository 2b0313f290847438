package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.webhooks.WebhookReceiver;
import dev.mailroom.store.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /v1/webhooks} over HTTP: endpoints, their reach, validation, and events arriving signed. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class WebhookApiTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dataDir;

    private TestDatabase.Instance database;
    private TestServer server;
    private final WebhookReceiver receiver = new WebhookReceiver();

    private void start(boolean allowPrivate) {
        database = kind.create();
        server = TestServer.start(dataDir, database, Map.of("MAILROOM_WEBHOOKS_ALLOW_PRIVATE", Boolean.toString(allowPrivate)));
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private String createTenant(String name) {
        var response = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).isEqualTo(201);
        return response.text("id");
    }

    private String createKey(String tenantId) {
        var response = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenantId + "\",\"permissions\":[\"manage\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("key");
    }

    private JsonNode createWebhook(String key, String body) {
        var response = server.post("/v1/webhooks", key, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static List<String> ids(JsonNode page) {
        var ids = new ArrayList<String>();
        page.path("data").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    @Test
    void anEndpointIsCreatedWithItsSecretOnceReadListedAndDeleted() {
        start(true);
        var created = createWebhook(ADMIN_KEY, "{\"url\":\"" + receiver.url() + "\"}");
        var id = created.path("id").asText();
        assertThat(id).startsWith("wh_");
        assertThat(created.path("secret").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(created.path("tenant_id").isNull()).isTrue();
        assertThat(created.path("url").asText()).isEqualTo(receiver.url());
        assertThat(created.path("events").isEmpty()).isTrue();
        assertThat(created.path("status").asText()).isEqualTo("active");

        var read = server.get("/v1/webhooks/" + id, ADMIN_KEY).json();
        assertThat(read.has("secret")).isFalse();
        assertThat(read.path("created_at").asText()).isEqualTo(created.path("created_at").asText());
        assertThat(ids(server.get("/v1/webhooks", ADMIN_KEY).json())).containsExactly(id);

        assertThat(server.send("DELETE", "/v1/webhooks/" + id, ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(server.get("/v1/webhooks/" + id, ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void aTenantKeyReachesOnlyItsOwnTenantsEndpoints() {
        start(true);
        var a = createTenant("A");
        var b = createTenant("B");
        var keyA = createKey(a);
        var keyB = createKey(b);
        var ofA = createWebhook(keyA, "{\"url\":\"" + receiver.url() + "\"}");
        assertThat(ofA.path("tenant_id").asText()).as("a tenant key's endpoint is its tenant's").isEqualTo(a);
        var agencyWide = createWebhook(ADMIN_KEY, "{\"url\":\"" + receiver.url() + "\"}").path("id").asText();
        var ofB = createWebhook(ADMIN_KEY, "{\"tenant_id\":\"" + b + "\",\"url\":\"" + receiver.url() + "\"}").path("id").asText();

        assertThat(server.post("/v1/webhooks", keyA, "{\"tenant_id\":\"" + b + "\",\"url\":\"" + receiver.url() + "\"}").status()).isEqualTo(404);
        assertThat(ids(server.get("/v1/webhooks", keyA).json())).containsExactly(ofA.path("id").asText());
        assertThat(ids(server.get("/v1/webhooks", keyB).json())).containsExactly(ofB);
        assertThat(ids(server.get("/v1/webhooks", ADMIN_KEY).json())).containsExactlyInAnyOrder(ofA.path("id").asText(), agencyWide, ofB);
        assertThat(ids(server.get("/v1/webhooks?tenant_id=" + a, ADMIN_KEY).json())).containsExactly(ofA.path("id").asText());
        for (var path : List.of("/v1/webhooks/" + ofA.path("id").asText(), "/v1/webhooks/" + agencyWide)) {
            assertThat(server.get(path, keyB).status()).isEqualTo(404);
            assertThat(server.get(path + "/deliveries", keyB).status()).isEqualTo(404);
            assertThat(server.post(path + "/enable", keyB, null).status()).isEqualTo(404);
            assertThat(server.send("DELETE", path, keyB, null).status()).isEqualTo(404);
        }
        assertThat(server.get("/v1/webhooks/" + ofA.path("id").asText(), keyA).status()).isEqualTo(200);
    }

    @Test
    void badInputIsRefusedNamingTheFields() {
        start(true);
        var response = server.post("/v1/webhooks", ADMIN_KEY, "{\"url\":\"ftp://hooks.example.com/\",\"events\":[\"tenant.paused\",\"message.sent\"]}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("errors").findValuesAsText("field")).containsExactly("url", "events[1]");
        assertThat(response.body()).contains("'message.sent' is not an event type");
        var missing = server.post("/v1/webhooks", ADMIN_KEY, "{\"events\":\"all\",\"secret\":\"mine\"}");
        assertThat(missing.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("url", "events", "secret");
        assertThat(server.get("/v1/webhooks", ADMIN_KEY).json().path("data").isEmpty()).isTrue();
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowed() {
        start(false);
        for (var url : List.of("http://127.0.0.1:9/hook", "http://localhost/hook", "https://10.0.0.8/", "https://169.254.169.254/latest",
                "https://[fd00::1]/hook", "http://0.0.0.0:8080/")) {
            var response = server.post("/v1/webhooks", ADMIN_KEY, "{\"url\":\"" + url + "\"}");
            assertThat(response.status()).as(url).isEqualTo(422);
            assertThat(response.json().path("errors").get(0).path("field").asText()).isEqualTo("url");
            assertThat(response.json().path("errors").get(0).path("message").asText()).contains("not a public address");
        }
    }

    @Test
    void eventsArriveSignedAndADeliveryCanBeReplayed() throws Exception {
        start(true);
        var tenant = createTenant("A");
        var created = createWebhook(ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"url\":\"" + receiver.url() + "\",\"events\":[\"tenant.pool_changed\"]}");
        receiver.secret(created.path("secret").asText());
        var id = created.path("id").asText();
        assertThat(server.send("PUT", "/v1/tenants/" + tenant + "/pool", ADMIN_KEY, "{\"pool_id\":\"pool_standard\"}").status()).isEqualTo(200);
        var event = server.get("/v1/events?type=tenant.pool_changed", ADMIN_KEY).json().path("data").get(0);

        // the receiver has it before Mailroom records the answer: wait for the record
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (server.get("/v1/webhooks/" + id + "/deliveries", ADMIN_KEY).json().path("data").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        var request = receiver.requests().getFirst();
        assertThat(request.signatureValid()).isTrue();
        assertThat(request.id()).isEqualTo(event.path("id").asText());
        assertThat(request.type()).isEqualTo("tenant.pool_changed");
        assertThat(request.body().path("timestamp").asText()).isEqualTo(event.path("created_at").asText());
        assertThat(request.body().path("data").path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(request.body().path("data").path("to").asText()).isEqualTo("pool_standard");
        assertThat(Math.abs(request.timestamp() - System.currentTimeMillis() / 1000)).isLessThan(60);

        var deliveries = server.get("/v1/webhooks/" + id + "/deliveries", ADMIN_KEY).json().path("data");
        assertThat(deliveries).hasSize(1);
        var delivery = deliveries.get(0);
        assertThat(delivery.path("event_id").asText()).isEqualTo(request.id());
        assertThat(delivery.path("event_type").asText()).isEqualTo("tenant.pool_changed");
        assertThat(delivery.path("attempt").asInt()).isEqualTo(1);
        assertThat(delivery.path("status_code").asInt()).isEqualTo(204);
        assertThat(delivery.path("error").isNull()).isTrue();

        var replay = server.post("/v1/webhooks/" + id + "/deliveries/" + delivery.path("id").asText() + "/replay", ADMIN_KEY, null);
        assertThat(replay.status()).as(replay.body()).isEqualTo(201);
        assertThat(replay.json().path("attempt").asInt()).isEqualTo(2);
        assertThat(receiver.deliveredIds()).containsExactly(request.id(), request.id());
        assertThat(receiver.requests()).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        assertThat(server.post("/v1/webhooks/" + id + "/deliveries/dlv_nothing/replay", ADMIN_KEY, null).status()).isEqualTo(404);

        var enabled = server.post("/v1/webhooks/" + id + "/enable", ADMIN_KEY, null);
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().path("status").asText()).isEqualTo("active");
    }
}
