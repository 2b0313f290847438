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

/** The REST API over HTTP: tenants, domains, keys, credentials, isolation and errors. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class TenancyApiTest {
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
        assertThat(response.status()).isEqualTo(201);
        return response.text("id");
    }

    private String createKey(String tenantId, String permissions) {
        var response = server.post("/v1/api-keys", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenantId + "\",\"permissions\":" + permissions + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("key");
    }

    private JsonNode addDomain(String key, String tenantId, String name, String stream) {
        var response = server.post("/v1/domains", key,
                "{\"tenant_id\":\"" + tenantId + "\",\"name\":\"" + name + "\",\"stream\":\"" + stream + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    @Test
    void tenantIsCreatedWithItsDefaultsAndReadBack() {
        var created = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\",\"metadata\":{\"plan\":\"gold\"}}");
        assertThat(created.status()).isEqualTo(201);
        var tenant = created.json();
        assertThat(tenant.path("id").asText()).startsWith("tnt_");
        assertThat(tenant.path("status").asText()).isEqualTo("active");
        assertThat(tenant.path("lifecycle").asText()).isEqualTo("setup");
        assertThat(tenant.path("metadata").path("plan").asText()).isEqualTo("gold");
        assertThat(tenant.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        var read = server.get("/v1/tenants/" + tenant.path("id").asText(), ADMIN_KEY);
        assertThat(read.json()).isEqualTo(tenant);
    }

    @Test
    void tenantIsRenamedPausedAndResumed() {
        var id = createTenant("Old name");
        var patched = server.send("PATCH", "/v1/tenants/" + id, ADMIN_KEY, "{\"name\":\"New name\"}");
        assertThat(patched.json().path("name").asText()).isEqualTo("New name");

        var paused = server.post("/v1/tenants/" + id + "/pause", ADMIN_KEY, "{\"reason\":\"complaints at 0.4%\"}");
        assertThat(paused.json().path("status").asText()).isEqualTo("paused");
        assertThat(paused.json().path("status_reason").asText()).isEqualTo("complaints at 0.4%");

        var noReason = server.post("/v1/tenants/" + id + "/pause", ADMIN_KEY, "{}");
        assertThat(noReason.status()).isEqualTo(422);

        var resumed = server.post("/v1/tenants/" + id + "/resume", ADMIN_KEY, null);
        assertThat(resumed.json().path("status").asText()).isEqualTo("active");
        assertThat(resumed.json().path("status_reason").isNull()).isTrue();
    }

    @Test
    void domainAnswersWithTheRecordSetOfTheSpec() {
        var tenant = createTenant("Client A");
        var domain = addDomain(ADMIN_KEY, tenant, "news.clienta.example", "marketing");
        assertThat(domain.path("status").asText()).isEqualTo("pending");
        assertThat(domain.path("setup").asText()).isEqualTo("cname");

        var records = new ArrayList<JsonNode>();
        domain.path("records").forEach(records::add);
        assertThat(records).allSatisfy(record -> assertThat(record.path("status").asText()).isEqualTo("pending"));
        var dkim = records.stream().filter(r -> r.path("purpose").asText().equals("dkim") && r.path("required").asBoolean()).findFirst().orElseThrow();
        assertThat(dkim.path("type").asText()).isEqualTo("CNAME");
        assertThat(dkim.path("name").asText()).matches("[a-z0-9]+\\._domainkey\\.news\\.clienta\\.example");
        var selector = dkim.path("name").asText().split("\\.")[0];
        assertThat(dkim.path("value").asText()).matches(selector + "\\.[a-z0-9]+\\.dkim\\.mailroom\\.localhost");
        var token = dkim.path("value").asText().split("\\.")[1];

        assertThat(records).anySatisfy(r -> {
            assertThat(r.path("purpose").asText()).isEqualTo("return_path");
            assertThat(r.path("type").asText()).isEqualTo("CNAME");
            assertThat(r.path("name").asText()).isEqualTo("rp.news.clienta.example");
            assertThat(r.path("value").asText()).isEqualTo("rp.mailroom.localhost");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.path("purpose").asText()).isEqualTo("dmarc");
            assertThat(r.path("type").asText()).isEqualTo("TXT");
            assertThat(r.path("name").asText()).isEqualTo("_dmarc.news.clienta.example");
            assertThat(r.path("value").asText()).isEqualTo("v=DMARC1; p=none; rua=mailto:dmarc+" + token + "@mailroom.localhost");
        });

        var read = server.get("/v1/domains/" + domain.path("id").asText(), ADMIN_KEY);
        assertThat(read.json()).isEqualTo(domain);
    }

    @Test
    void anotherTenantsKeyNeitherSeesNorListsNorTouchesTheDomain() {
        var tenantA = createTenant("Client A");
        var tenantB = createTenant("Client B");
        var domainId = addDomain(ADMIN_KEY, tenantA, "news.clienta.example", "marketing").path("id").asText();
        var keyB = createKey(tenantB, "[\"read\",\"manage\",\"send\"]");

        assertThat(server.get("/v1/domains/" + domainId, keyB).status()).isEqualTo(404);
        assertThat(server.send("DELETE", "/v1/domains/" + domainId, keyB, null).status()).isEqualTo(404);
        assertThat(server.get("/v1/domains", keyB).json().path("data")).isEmpty();
        assertThat(server.get("/v1/domains?tenant_id=" + tenantA, keyB).status()).isEqualTo(404);
        assertThat(server.get("/v1/tenants/" + tenantA, keyB).status()).isEqualTo(404);
        assertThat(server.get("/v1/tenants", keyB).json().path("data")).hasSize(1);
        assertThat(server.post("/v1/domains", keyB, "{\"tenant_id\":\"" + tenantA + "\",\"name\":\"tx.clienta.example\"}").status())
                .isEqualTo(404);
        assertThat(server.post("/v1/api-keys", keyB, "{\"tenant_id\":\"" + tenantA + "\",\"permissions\":[\"read\"]}").status())
                .isEqualTo(404);
        assertThat(server.post("/v1/smtp-credentials", keyB, "{\"tenant_id\":\"" + tenantA + "\"}").status()).isEqualTo(404);
        // and the domain is untouched
        assertThat(server.get("/v1/domains/" + domainId, ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void readKeyCreatesNothing() {
        var tenant = createTenant("Client A");
        var readKey = createKey(tenant, "[\"read\"]");
        assertThat(server.post("/v1/domains", readKey, "{\"name\":\"news.clienta.example\"}").status()).isEqualTo(403);
        assertThat(server.post("/v1/tenants", readKey, "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(server.post("/v1/api-keys", readKey, "{\"permissions\":[\"read\"]}").status()).isEqualTo(403);
        assertThat(server.post("/v1/smtp-credentials", readKey, "{}").status()).isEqualTo(403);
        assertThat(server.get("/v1/domains", readKey).json().path("data")).isEmpty();
    }

    @Test
    void tenantKeyCannotCreateTenantsNorEscalate() {
        var tenant = createTenant("Client A");
        var manageKey = createKey(tenant, "[\"read\",\"manage\"]");
        assertThat(server.post("/v1/tenants", manageKey, "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(server.post("/v1/tenants/" + tenant + "/resume", manageKey, null).status()).isEqualTo(403);
        var escalate = server.post("/v1/api-keys", manageKey, "{\"permissions\":[\"send\"]}");
        assertThat(escalate.status()).isEqualTo(422);
        assertThat(escalate.json().path("errors").get(0).path("field").asText()).isEqualTo("permissions");

        var own = server.post("/v1/api-keys", manageKey, "{\"permissions\":[\"read\"]}");
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.text("tenant_id")).isEqualTo(tenant);
    }

    @Test
    void domainRestrictedKeySeesOnlyItsDomains() {
        var tenant = createTenant("Client A");
        var news = addDomain(ADMIN_KEY, tenant, "news.clienta.example", "marketing").path("id").asText();
        var tx = addDomain(ADMIN_KEY, tenant, "tx.clienta.example", "transactional").path("id").asText();
        var restricted = server.post("/v1/api-keys", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"domain_ids\":[\"" + news + "\"],\"permissions\":[\"read\",\"manage\"]}");
        assertThat(restricted.status()).isEqualTo(201);
        var key = restricted.text("key");

        assertThat(server.get("/v1/domains/" + news, key).status()).isEqualTo(200);
        assertThat(server.get("/v1/domains/" + tx, key).status()).isEqualTo(404);
        assertThat(server.get("/v1/domains", key).json().path("data")).hasSize(1);
        assertThat(server.post("/v1/domains", key, "{\"name\":\"notify.clienta.example\"}").status()).isEqualTo(403);
        var widen = server.post("/v1/api-keys", key, "{\"domain_ids\":[\"" + tx + "\"],\"permissions\":[\"read\"]}");
        assertThat(widen.status()).isEqualTo(422);
        assertThat(server.post("/v1/api-keys", key, "{\"permissions\":[\"read\"]}").status()).isEqualTo(422);
        // nor does it reach the tenant's other keys and credentials
        var tenantKey = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"send\"]}").text("id");
        assertThat(server.get("/v1/api-keys", key).status()).isEqualTo(403);
        assertThat(server.send("DELETE", "/v1/api-keys/" + tenantKey, key, null).status()).isEqualTo(403);
        var credential = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\"}").text("id");
        assertThat(server.get("/v1/smtp-credentials", key).status()).isEqualTo(403);
        assertThat(server.send("DELETE", "/v1/smtp-credentials/" + credential, key, null).status()).isEqualTo(403);
        var narrowed = server.post("/v1/smtp-credentials", key, "{\"domain_ids\":[\"" + news + "\"]}");
        assertThat(narrowed.status()).isEqualTo(201);
        assertThat(narrowed.json().path("domain_ids").get(0).asText()).isEqualTo(news);
    }

    @Test
    void theLargestValidMetadataIsStored() {
        var metadata = new StringBuilder("{");
        for (int i = 0; i < 50; i++) {
            metadata.append(i == 0 ? "" : ",").append("\"").append(String.format("%040d", i)).append("\":\"")
                    .append("\\\"é".repeat(250)).append("\"");
        }
        metadata.append("}");
        var created = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Big\",\"metadata\":" + metadata + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(server.get("/v1/tenants/" + created.text("id"), ADMIN_KEY).json().path("metadata")).hasSize(50);
        var tooMany = new StringBuilder("{");
        for (int i = 0; i < 51; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        var refused = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Big\",\"metadata\":" + tooMany + "}}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(fields(refused.json())).containsExactly("metadata");
    }

    @Test
    void badDomainInputIsRefusedNamingTheFieldAndChangesNothing() {
        var tenantA = createTenant("Client A");
        var tenantB = createTenant("Client B");
        addDomain(ADMIN_KEY, tenantA, "news.clienta.example", "marketing");

        var invalid = server.post("/v1/domains", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenantA + "\",\"name\":\"bad_name..example\",\"stream\":\"promo\",\"setup\":\"dns\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(fields(invalid.json())).containsExactlyInAnyOrder("name", "stream", "setup");

        for (var name : List.of("com", "co.uk", "192.168.1.1", "-x.example.com", "x".repeat(64) + ".example.com", "localhost",
                "dkim.mailroom.localhost", "mailroom.localhost")) {
            var response = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenantA + "\",\"name\":\"" + name + "\"}");
            assertThat(response.status()).as(name).isEqualTo(422);
            assertThat(fields(response.json())).as(name).containsExactly("name");
        }

        var taken = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenantB + "\",\"name\":\"NEWS.clienta.example.\"}");
        assertThat(taken.status()).isEqualTo(422);
        assertThat(fields(taken.json())).containsExactly("name");

        var missing = server.post("/v1/domains", ADMIN_KEY, "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(fields(missing.json())).containsExactlyInAnyOrder("tenant_id", "name");

        var unknownField = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenantA + "\",\"name\":\"tx.clienta.example\",\"strem\":\"x\"}");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(fields(unknownField.json())).containsExactly("strem");

        var malformed = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(server.post("/v1/domains", ADMIN_KEY, "[1,2]").status()).isEqualTo(400);
        assertThat(server.post("/v1/domains", ADMIN_KEY, "").status()).isEqualTo(400);

        var oversized = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + "a".repeat(37 * 1024 * 1024) + "\"}");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.contentType()).startsWith("application/problem+json");

        var unknownTenant = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"tnt_nope\",\"name\":\"a.example.org\"}");
        assertThat(unknownTenant.status()).isEqualTo(404);

        var domains = server.get("/v1/domains", ADMIN_KEY).json().path("data");
        assertThat(domains).hasSize(1);
        assertThat(server.get("/v1/tenants", ADMIN_KEY).json().path("data")).hasSize(2);
    }

    @Test
    void adviceWarnsAboutPracticesThatHurtDeliverability() {
        var tenant = createTenant("Client A");
        var root = addDomain(ADMIN_KEY, tenant, "clienta.example", "marketing");
        assertThat(codes(root)).containsExactly("bulk_stream_on_root_domain");
        assertThat(root.path("warnings").get(0).path("message").asText()).contains("news.clienta.example");

        var spammy = addDomain(ADMIN_KEY, tenant, "bulk.clienta.example", "marketing");
        assertThat(codes(spammy)).containsExactly("spammy_subdomain_name");
        assertThat(codes(addDomain(ADMIN_KEY, tenant, "mail2.clienta.example", "transactional"))).containsExactly("spammy_subdomain_name");

        var news = addDomain(ADMIN_KEY, tenant, "news.clienta.example", "marketing");
        assertThat(codes(news)).isEmpty();
        var shared = addDomain(ADMIN_KEY, tenant, "news.clienta.example", "transactional");
        assertThat(codes(shared)).containsExactly("subdomain_shared_by_streams");
        assertThat(shared.path("warnings").get(0).path("message").asText()).contains("tx.clienta.example");
        // both entries now carry the warning, and share the name's token so their DMARC records agree
        var again = server.get("/v1/domains/" + news.path("id").asText(), ADMIN_KEY).json();
        assertThat(codes(again)).containsExactly("subdomain_shared_by_streams");
        assertThat(dmarc(again)).isEqualTo(dmarc(shared));

        var twice = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"news.clienta.example\",\"stream\":\"marketing\"}");
        assertThat(twice.status()).isEqualTo(422);
        assertThat(fields(twice.json())).containsExactly("name");
    }

    @Test
    void deletingTheLastDomainOnANameReleasesIt() {
        var tenantA = createTenant("Client A");
        var tenantB = createTenant("Client B");
        var id = addDomain(ADMIN_KEY, tenantA, "news.clienta.example", "marketing").path("id").asText();
        assertThat(server.send("DELETE", "/v1/domains/" + id, ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(server.get("/v1/domains/" + id, ADMIN_KEY).status()).isEqualTo(404);
        addDomain(ADMIN_KEY, tenantB, "news.clienta.example", "marketing");
    }

    @Test
    void txtAndDelegateSetupsAskForTheirRecords() {
        var tenant = createTenant("Client A");
        var txt = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"tx.clienta.example\",\"setup\":\"txt\"}").json();
        assertThat(txt.path("records")).anySatisfy(r -> {
            assertThat(r.path("purpose").asText()).isEqualTo("dkim");
            assertThat(r.path("type").asText()).isEqualTo("TXT");
            assertThat(r.path("value").asText()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
        });
        assertThat(txt.path("records")).anySatisfy(r -> {
            assertThat(r.path("purpose").asText()).isEqualTo("spf");
            assertThat(r.path("value").asText()).isEqualTo("v=spf1 include:rp.mailroom.localhost -all");
        });
        var delegate = server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"name\":\"notify.clienta.example\",\"setup\":\"delegate\",\"stream\":\"notifications\"}").json();
        assertThat(delegate.path("records")).hasSize(1);
        assertThat(delegate.path("records").get(0).path("type").asText()).isEqualTo("NS");
        assertThat(delegate.path("records").get(0).path("name").asText()).isEqualTo("notify.clienta.example");
    }

    @Test
    void keysAreShownOnceListedWithoutSecretsAndRevocable() {
        var tenant = createTenant("Client A");
        var created = server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[\"send\"]}").json();
        var secret = created.path("key").asText();
        assertThat(secret).startsWith("mr_");
        var listed = server.get("/v1/api-keys?tenant_id=" + tenant, ADMIN_KEY);
        assertThat(listed.body()).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
        assertThat(listed.json().path("data").get(0).has("key")).isFalse();

        assertThat(server.send("DELETE", "/v1/api-keys/" + created.path("id").asText(), ADMIN_KEY, null).status()).isEqualTo(204);
        assertThat(server.get("/v1/domains", secret).status()).isEqualTo(401);
        assertThat(server.get("/v1/domains", "mr_garbage").status()).isEqualTo(401);
    }

    @Test
    void smtpCredentialsWithPasswordOrNetworks() {
        var tenant = createTenant("Client A");
        var auth = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\"}");
        assertThat(auth.status()).isEqualTo(201);
        assertThat(auth.text("username")).isNotBlank();
        assertThat(auth.text("password")).hasSizeGreaterThanOrEqualTo(40);

        var networks = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"networks\":[\"203.0.113.0/24\",\"2001:db8::/48\"]}");
        assertThat(networks.status()).isEqualTo(201);
        assertThat(networks.json().path("networks").toString()).isEqualTo("[\"203.0.113.0/24\",\"2001:db8::/48\"]");
        assertThat(networks.json().has("password")).isFalse();

        var bad = server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"networks\":[\"203.0.113.7/24\",\"0.0.0.0/0\",\"nope\"]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(fields(bad.json())).containsExactly("networks[0]", "networks[1]", "networks[2]");

        var listed = server.get("/v1/smtp-credentials", ADMIN_KEY);
        assertThat(listed.json().path("data")).hasSize(2);
        assertThat(listed.body()).doesNotContain(auth.text("password"));
    }

    @Test
    void listsArePagedByCursor() {
        for (int i = 0; i < 5; i++) {
            createTenant("Tenant " + i);
        }
        var first = server.get("/v1/tenants?limit=2", ADMIN_KEY).json();
        assertThat(first.path("data")).hasSize(2);
        var seen = new ArrayList<String>();
        first.path("data").forEach(t -> seen.add(t.path("name").asText()));
        var cursor = first.path("next_cursor").asText();
        while (!cursor.isEmpty() && !cursor.equals("null")) {
            var page = server.get("/v1/tenants?limit=2&cursor=" + cursor, ADMIN_KEY).json();
            page.path("data").forEach(t -> seen.add(t.path("name").asText()));
            cursor = page.path("next_cursor").isNull() ? "" : page.path("next_cursor").asText();
        }
        assertThat(seen).containsExactly("Tenant 0", "Tenant 1", "Tenant 2", "Tenant 3", "Tenant 4");
        assertThat(server.get("/v1/tenants?limit=0", ADMIN_KEY).status()).isEqualTo(422);
    }

    @Test
    void systemEndpointsAnswerWithoutAKey() {
        assertThat(server.get("/healthz", null).json().path("status").asText()).isEqualTo("ok");
        createTenant("Client A");
        var metrics = server.get("/metrics", null);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("mailroom_tenants 1.0").contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/tenants\",status=\"201\"}");
        assertThat(server.get("/v1/openapi.json", null).json().path("openapi").asText()).startsWith("3.");
        assertThat(server.get("/v1/tenants", null).status()).isEqualTo(401);
        var unknown = server.get("/v1/nothing", ADMIN_KEY);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    private static List<String> fields(JsonNode problem) {
        var result = new ArrayList<String>();
        problem.path("errors").forEach(error -> result.add(error.path("field").asText()));
        return result;
    }

    private static List<String> codes(JsonNode domain) {
        var result = new ArrayList<String>();
        domain.path("warnings").forEach(warning -> result.add(warning.path("code").asText()));
        return result;
    }

    private static String dmarc(JsonNode domain) {
        for (var record : domain.path("records")) {
            if (record.path("purpose").asText().equals("dmarc")) {
                return record.path("value").asText();
            }
        }
        throw new AssertionError("no DMARC record");
    }
}
