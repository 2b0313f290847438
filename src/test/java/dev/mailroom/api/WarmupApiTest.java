package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.store.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** A domain's warm-up over HTTP: its progress, its own settings, who may change them. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class WarmupApiTest {
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

    @Test
    void progressSettingsAndWhoMayChangeThem() {
        var tenant = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
        var domain = server.post("/v1/domains", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"name\":\"news.clienta.example\",\"stream\":\"marketing\"}").text("id");
        var tenantKey = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"read\",\"manage\"]}")
                .text("key");

        var progress = server.get("/v1/domains/" + domain + "/warmup", tenantKey);
        assertThat(progress.status()).as(progress.body()).isEqualTo(200);
        var json = progress.json();
        assertThat(json.path("schedule_name").asText()).isEqualTo("marketing");
        assertThat(json.path("schedule").asText()).isEqualTo("1-3:5000,4-7:25000,8-14:50%,15-30:100%");
        assertThat(json.path("day").asInt()).as("not verified: not started").isZero();
        assertThat(json.path("cap_today").isNull()).isTrue();
        assertThat(json.path("finished").asBoolean()).isFalse();

        assertThat(server.send("PUT", "/v1/domains/" + domain + "/warmup", tenantKey, "{\"enabled\":false}").status())
                .as("a tenant cannot lift its own warm-up").isEqualTo(403);
        var refused = server.send("PUT", "/v1/domains/" + domain + "/warmup", ADMIN_KEY, "{\"schedule\":\"1-3:5000,5-9:100\",\"target_daily_volume\":0}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("errors").findValuesAsText("field")).containsExactly("schedule", "target_daily_volume");

        var changed = server.send("PUT", "/v1/domains/" + domain + "/warmup", ADMIN_KEY, "{\"schedule\":\"1-2:100, 3:50%\",\"target_daily_volume\":2000}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("schedule_name").asText()).isEqualTo("custom");
        assertThat(changed.json().path("schedule").asText()).isEqualTo("1-2:100,3:50%");
        assertThat(changed.json().path("target_daily_volume").asLong()).isEqualTo(2000);
        assertThat(server.get("/v1/domains/" + domain + "/warmup", tenantKey).json().path("enabled").asBoolean()).isTrue();

        var defaults = server.send("PUT", "/v1/domains/" + domain + "/warmup", ADMIN_KEY, "{\"enabled\":false}").json();
        assertThat(defaults.path("schedule_name").asText()).as("a field left out is back to its default").isEqualTo("marketing");
        assertThat(defaults.path("enabled").asBoolean()).isFalse();
        assertThat(defaults.path("finished").asBoolean()).isTrue();
        assertThat(server.get("/v1/domains/dom_nope/warmup", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void aPoolsAddressesShowTheirWarmUpToAgencyKeys() {
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"dedicated\",\"tier\":\"premium\"}").text("id");
        assertThat(server.post("/v1/pools/" + pool + "/ips", ADMIN_KEY, "{\"address\":\"203.0.113.25\",\"hostname\":\"mta25.example.net\"}")
                .status()).isEqualTo(201);

        var answer = server.get("/v1/pools/" + pool + "/warmup", ADMIN_KEY);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        var address = answer.json().path("data").path(0);
        assertThat(address.path("kind").asText()).isEqualTo("ip");
        assertThat(address.path("id").asText()).isEqualTo("203.0.113.25");
        assertThat(address.path("name").asText()).isEqualTo("mta25.example.net");
        assertThat(address.path("schedule_name").asText()).isEqualTo("ip");
        assertThat(address.path("day").asInt()).as("joined today").isEqualTo(1);
        assertThat(address.path("cap_today").asLong()).as("warmup.ip's day 1").isEqualTo(50);
        assertThat(address.path("used_today").asLong()).isZero();
        assertThat(server.get("/v1/pools/pool_starter/warmup", ADMIN_KEY).json().path("data").size()).as("no addresses").isZero();

        var tenant = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
        var tenantKey = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"read\"]}").text("key");
        assertThat(server.get("/v1/pools/" + pool + "/warmup", tenantKey).status()).as("pools are the agency's").isEqualTo(403);
        assertThat(server.get("/v1/pools/pool_nope/warmup", ADMIN_KEY).status()).isEqualTo(404);
    }
}
