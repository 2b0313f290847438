package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** IP pools over HTTP: the seeded pools, creating pools and their addresses, moving tenants and domains, who may. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class PoolApiTest {
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

    private TestServer.Response created(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    private String createTenant(String name) {
        return created(server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + name + "\"}")).text("id");
    }

    private static List<String> fields(TestServer.Response response) {
        assertThat(response.contentType()).startsWith(Problem.CONTENT_TYPE);
        var fields = new ArrayList<String>();
        response.json().path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    private static List<String> addresses(JsonNode pool) {
        var result = new ArrayList<String>();
        pool.path("addresses").forEach(address -> result.add(address.path("address").asText()));
        return result;
    }

    /** Every pool as GET /v1/pools lists it, to show that a refused request changed nothing. */
    private JsonNode allPools() {
        var list = server.get("/v1/pools", ADMIN_KEY);
        assertThat(list.status()).isEqualTo(200);
        return list.json().path("data");
    }

    @Test
    void theFourTierPoolsExistFromTheStartAndNewTenantsJoinStarter() {
        var pools = allPools();
        assertThat(pools).hasSize(4);
        pools.forEach(pool -> {
            assertThat(pool.path("id").asText()).isEqualTo("pool_" + pool.path("tier").asText());
            assertThat(pool.path("name").asText()).isEqualTo(pool.path("tier").asText());
            assertThat(pool.path("addresses")).isEmpty();
            assertThat(pool.path("smarthost").isNull()).isTrue();
        });
        assertThat(server.get("/v1/pools", ADMIN_KEY).json().path("next_cursor").isNull()).isTrue();

        var tenant = server.get("/v1/tenants/" + createTenant("Client A"), ADMIN_KEY).json();
        assertThat(tenant.path("pool").asText()).isEqualTo("pool_starter");
    }

    @Test
    void aPoolIsCreatedGivenAddressesInOneSpellingAndLosesThemAgain() {
        var pool = created(server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"dedicated-acme\",\"tier\":\"premium\"}")).json();
        var id = pool.path("id").asText();
        assertThat(id).startsWith("pool_");
        assertThat(pool.path("tier").asText()).isEqualTo("premium");
        assertThat(pool.path("addresses")).isEmpty();
        assertThat(server.get("/v1/pools/" + id, ADMIN_KEY).json()).isEqualTo(pool);

        var withV4 = created(server.post("/v1/pools/" + id + "/ips", ADMIN_KEY,
                "{\"address\":\"203.0.113.25\",\"hostname\":\"MTA25.Mail.Agency.example\"}")).json();
        assertThat(withV4.path("addresses").get(0).path("hostname").asText()).isEqualTo("mta25.mail.agency.example");
        assertThat(withV4.path("addresses").get(0).path("weight").asInt()).isEqualTo(100);
        var withV6 = created(server.post("/v1/pools/" + id + "/ips", ADMIN_KEY,
                "{\"address\":\"2001:DB8:0:0:0:0:0:25\",\"hostname\":\"mta25.mail.agency.example\",\"weight\":40}")).json();
        assertThat(addresses(withV6)).containsExactly("203.0.113.25", "2001:db8::25");
        assertThat(withV6.path("addresses").get(1).path("weight").asInt()).isEqualTo(40);
        assertThat(server.get("/v1/pools/" + id, ADMIN_KEY).json()).isEqualTo(withV6);

        assertThat(server.send("DELETE", "/v1/pools/" + id + "/ips/2001:db8:0::25", ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(addresses(server.get("/v1/pools/" + id, ADMIN_KEY).json())).containsExactly("203.0.113.25");
        assertThat(server.send("DELETE", "/v1/pools/" + id + "/ips/2001:db8::25", ADMIN_KEY, null).status()).isEqualTo(404);
        assertThat(server.send("DELETE", "/v1/pools/pool_starter/ips/203.0.113.25", ADMIN_KEY, null).status()).isEqualTo(404);
        assertThat(server.get("/v1/pools/pool_nope", ADMIN_KEY).status()).isEqualTo(404);
        assertThat(server.post("/v1/pools/pool_nope/ips", ADMIN_KEY, "{\"address\":\"203.0.113.26\",\"hostname\":\"mta.example.net\"}")
                .status()).isEqualTo(404);
    }

    @Test
    void badInputIsRefusedNamingEveryFieldAtFaultAndChangesNothing() {
        var before = allPools();
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":7,\"tier\":\"gold\",\"colour\":\"red\"}");
        assertThat(pool.status()).isEqualTo(422);
        assertThat(fields(pool)).containsExactlyInAnyOrder("name", "tier", "colour");
        assertThat(fields(server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"" + "x".repeat(101) + "\",\"tier\":\"starter\"}")))
                .containsExactly("name");
        var relay = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"relay\",\"tier\":\"standard\",\"smarthost\":"
                + "{\"port\":\"587\",\"tls\":\"ssl\",\"user\":\"x\",\"password\":\"secret\"}}");
        assertThat(relay.status()).isEqualTo(422);
        assertThat(fields(relay)).contains("smarthost.host", "smarthost.port", "smarthost.tls", "smarthost.user");
        var relayValues = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"relay\",\"tier\":\"standard\",\"smarthost\":"
                + "{\"host\":\"smtp.esp.example\",\"port\":0,\"tls\":\"none\",\"username\":\"agency\",\"password\":\"secret\"}}");
        assertThat(relayValues.status()).isEqualTo(422);
        assertThat(fields(relayValues)).containsExactlyInAnyOrder("smarthost.port", "smarthost.tls");
        assertThat(fields(server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"relay\",\"tier\":\"standard\",\"smarthost\":\"smtp.esp.example\"}")))
                .containsExactly("smarthost");

        var address = server.post("/v1/pools/pool_starter/ips", ADMIN_KEY, "{\"address\":\"mta.example.net\",\"hostname\":\"203.0.113.9\",\"weight\":0}");
        assertThat(address.status()).isEqualTo(422);
        assertThat(fields(address)).containsExactlyInAnyOrder("address", "hostname", "weight");
        assertThat(fields(server.post("/v1/pools/pool_starter/ips", ADMIN_KEY, "{\"address\":\"127.1\",\"hostname\":\"a.example.net\",\"weight\":1001}")))
                .containsExactlyInAnyOrder("address", "weight");
        assertThat(fields(server.post("/v1/pools/pool_starter/ips", ADMIN_KEY, "{\"address\":42,\"weight\":\"ten\"}")))
                .containsExactlyInAnyOrder("address", "hostname", "weight");
        assertThat(server.post("/v1/pools/pool_starter/ips", ADMIN_KEY, "{\"address\":").status()).isEqualTo(400);
        assertThat(server.post("/v1/pools", ADMIN_KEY, "[]").status()).isEqualTo(400);

        assertThat(allPools()).isEqualTo(before);
    }

    @Test
    void aNameOrAnAddressTakenIsRefusedNamingTheField() {
        var taken = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"starter\",\"tier\":\"premium\"}");
        assertThat(taken.status()).isEqualTo(422);
        assertThat(fields(taken)).containsExactly("name");
        created(server.post("/v1/pools/pool_standard/ips", ADMIN_KEY, "{\"address\":\"2001:db8::7\",\"hostname\":\"mta7.example.net\"}"));
        var inAnother = server.post("/v1/pools/pool_premium/ips", ADMIN_KEY, "{\"address\":\"2001:DB8::0:7\",\"hostname\":\"mta7.example.net\"}");
        assertThat(inAnother.status()).isEqualTo(422);
        assertThat(fields(inAnother)).containsExactly("address");
        assertThat(inAnother.json().path("errors").get(0).path("message").asText()).contains("pool_standard");
        assertThat(addresses(server.get("/v1/pools/pool_premium", ADMIN_KEY).json())).isEmpty();
        assertThat(allPools()).hasSize(4);
    }

    @Test
    void aSmarthostPoolNeverShowsItsPasswordAndTakesNoAddresses() {
        var pool = created(server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"esp-overflow\",\"tier\":\"standard\",\"smarthost\":"
                + "{\"host\":\"smtp.esp.example\",\"username\":\"agency\",\"password\":\"hunter2-but-longer\"}}"));
        assertThat(pool.body()).doesNotContain("hunter2-but-longer");
        var relay = pool.json().path("smarthost");
        assertThat(relay.path("host").asText()).isEqualTo("smtp.esp.example");
        assertThat(relay.path("port").asInt()).isEqualTo(587);
        assertThat(relay.path("tls").asText()).isEqualTo("starttls");
        assertThat(relay.path("username").asText()).isEqualTo("agency");
        assertThat(relay.path("has_password").asBoolean()).isTrue();
        assertThat(relay.has("password")).isFalse();
        var id = pool.text("id");
        assertThat(server.get("/v1/pools/" + id, ADMIN_KEY).body()).doesNotContain("hunter2-but-longer");
        assertThat(server.get("/v1/pools", ADMIN_KEY).body()).doesNotContain("hunter2-but-longer");

        var address = server.post("/v1/pools/" + id + "/ips", ADMIN_KEY, "{\"address\":\"203.0.113.30\",\"hostname\":\"mta30.example.net\"}");
        assertThat(address.status()).isEqualTo(422);
        assertThat(fields(address)).containsExactly("address");
    }

    @Test
    void movingATenantIsRecordedInTheEventLog() {
        var tenant = createTenant("Client A");
        var moved = server.send("PUT", "/v1/tenants/" + tenant + "/pool", ADMIN_KEY, "{\"pool_id\":\"pool_premium\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.text("pool")).isEqualTo("pool_premium");
        assertThat(server.get("/v1/tenants/" + tenant, ADMIN_KEY).text("pool")).isEqualTo("pool_premium");

        var events = server.get("/v1/events?type=tenant.pool_changed", ADMIN_KEY).json().path("data");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("tenant_id").asText()).isEqualTo(tenant);
        assertThat(events.get(0).path("data").path("from").asText()).isEqualTo("pool_starter");
        assertThat(events.get(0).path("data").path("to").asText()).isEqualTo("pool_premium");

        assertThat(server.send("PUT", "/v1/tenants/" + tenant + "/pool", ADMIN_KEY, "{\"pool_id\":\"pool_nope\"}").status()).isEqualTo(404);
        assertThat(server.send("PUT", "/v1/tenants/tnt_nope/pool", ADMIN_KEY, "{\"pool_id\":\"pool_starter\"}").status()).isEqualTo(404);
        assertThat(fields(server.send("PUT", "/v1/tenants/" + tenant + "/pool", ADMIN_KEY, "{}"))).containsExactly("pool_id");
        assertThat(server.get("/v1/tenants/" + tenant, ADMIN_KEY).text("pool")).isEqualTo("pool_premium");
        assertThat(server.get("/v1/events?type=tenant.pool_changed", ADMIN_KEY).json().path("data")).hasSize(1);
    }

    @Test
    void aDomainsOwnPoolShowsInTheDomainUntilCleared() {
        var tenant = createTenant("Client A");
        var domain = created(server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"mail.clienta.example\"}")).json();
        assertThat(domain.path("pool").isNull()).isTrue();
        var path = "/v1/domains/" + domain.path("id").asText() + "/pool";

        var own = server.send("PUT", path, ADMIN_KEY, "{\"pool_id\":\"pool_premium\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.text("pool")).isEqualTo("pool_premium");
        assertThat(server.get("/v1/domains/" + domain.path("id").asText(), ADMIN_KEY).text("pool")).isEqualTo("pool_premium");
        assertThat(server.send("PUT", path, ADMIN_KEY, "{\"pool_id\":\"pool_nope\"}").status()).isEqualTo(404);

        var cleared = server.send("PUT", path, ADMIN_KEY, "{\"pool_id\":null}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().path("pool").isNull()).isTrue();
    }

    @Test
    void poolsAreTheAgencysAlone() {
        var tenant = createTenant("Client A");
        var key = created(server.post("/v1/api-keys", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"read\",\"manage\",\"send\"]}")).text("key");
        var domain = created(server.post("/v1/domains", key, "{\"name\":\"mail.clienta.example\"}")).text("id");

        assertThat(server.get("/v1/pools", key).status()).isEqualTo(403);
        assertThat(server.get("/v1/pools/pool_starter", key).status()).isEqualTo(403);
        assertThat(server.post("/v1/pools", key, "{\"name\":\"mine\",\"tier\":\"premium\"}").status()).isEqualTo(403);
        assertThat(server.post("/v1/pools/pool_starter/ips", key, "{\"address\":\"203.0.113.40\",\"hostname\":\"mta40.example.net\"}")
                .status()).isEqualTo(403);
        assertThat(server.send("DELETE", "/v1/pools/pool_starter/ips/203.0.113.40", key, null).status()).isEqualTo(403);
        assertThat(server.send("PUT", "/v1/tenants/" + tenant + "/pool", key, "{\"pool_id\":\"pool_premium\"}").status()).isEqualTo(403);
        assertThat(server.send("PUT", "/v1/domains/" + domain + "/pool", key, "{\"pool_id\":\"pool_premium\"}").status()).isEqualTo(403);

        assertThat(server.get("/v1/tenants/" + tenant, key).text("pool")).isEqualTo("pool_starter");
        assertThat(allPools()).hasSize(4).allSatisfy(pool -> assertThat(pool.path("addresses")).isEmpty());
    }
}
