package dev.mailroom.reputation;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DNSBL checks through Mailroom's resolver against knotd serving test lists, and a domain's
 * compliance report. knotd serves one zone here, so the lists live under it:
 * {@code bl.clienta.example} (an IP list) and {@code dbl.clienta.example} (a domain list).
 */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class BlocklistsApiTest {
    private static final List<String> LISTINGS = List.of(
            "11.0.0.127.bl IN A 127.0.0.2",
            "11.0.0.127.bl IN TXT \"listed for testing\"",
            "news.clienta.example.dbl IN A 127.0.1.2");

    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private String tenantA;
    private String tenantB;
    private String listedDomain;

    @BeforeEach
    void start() throws Exception {
        database = kind.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of(
                "MAILROOM_BLOCKLISTS_IP_ZONES", "bl.clienta.example",
                "MAILROOM_BLOCKLISTS_DOMAIN_ZONES", "dbl.clienta.example",
                "MAILROOM_BLOCKLISTS_INTERVAL", "0",
                "MAILROOM_COMPLIANCE_INTERVAL", "0"));
        server = fixture.server();
        tenantA = fixture.createTenant("Client A");
        tenantB = fixture.createTenant("Client B");
        listedDomain = fixture.verifiedDomain(tenantA, "news.clienta.example", "marketing");
        fixture.verifiedDomain(tenantB, "b.clienta.example", "transactional");
        for (var address : List.of("127.0.0.11", "127.0.0.12")) {
            var added = server.post("/v1/pools/pool_starter/ips", ADMIN_KEY, "{\"address\":\"" + address + "\",\"hostname\":\"out.clienta.example\"}");
            assertThat(added.status()).as(added.body()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aListedPoolIpAndDomainRaiseAlertsThatResolveOnceDelisted() throws Exception {
        fixture.publishZoneLines(LISTINGS);
        var run = server.post("/v1/blocklists/check", ADMIN_KEY, null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        // two addresses on one IP list; news.clienta.example, b.clienta.example and their organisational domain on one domain list
        assertThat(run.json().path("queries").asInt()).isEqualTo(5);
        assertThat(run.json().path("failures")).isEmpty();
        var listed = run.json().path("listed");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).path("kind").asText()).isEqualTo("ip");
        assertThat(listed.get(0).path("subject").asText()).isEqualTo("127.0.0.11");
        assertThat(listed.get(0).path("zone").asText()).isEqualTo("bl.clienta.example");
        assertThat(listed.get(0).path("code").asText()).isEqualTo("127.0.0.2");
        assertThat(listed.get(0).path("reason").asText()).isEqualTo("listed for testing");
        assertThat(listed.get(1).path("kind").asText()).isEqualTo("domain");
        assertThat(listed.get(1).path("subject").asText()).isEqualTo("news.clienta.example");
        assertThat(server.get("/v1/blocklists", ADMIN_KEY).json().path("data")).isEqualTo(listed);

        var alerts = server.get("/v1/alerts?kind=blocklisted&state=open", ADMIN_KEY).json().path("data");
        assertThat(alerts).hasSize(2);
        var ip = alert(alerts, "ip");
        assertThat(ip.path("subject_id").asText()).isEqualTo("127.0.0.11");
        assertThat(ip.path("tenant_id").isNull()).as("the agency's alert").isTrue();
        assertThat(ip.path("severity").asText()).isEqualTo("warning");
        assertThat(ip.path("message").asText()).contains("127.0.0.11", "bl.clienta.example", "listed for testing");
        assertThat(ip.path("data").path("pool_id").asText()).isEqualTo("pool_starter");
        var domain = alert(alerts, "domain");
        assertThat(domain.path("subject_id").asText()).isEqualTo(listedDomain);
        assertThat(domain.path("tenant_id").asText()).isEqualTo(tenantA);
        assertThat(events("alert.raised")).hasSize(2);

        // a tenant sees its domain's alert, never the agency's IP; and not the blocklists themselves
        var keyA = fixture.key(tenantA, "\"read\",\"manage\"", null);
        assertThat(server.get("/v1/alerts?kind=blocklisted", keyA).json().path("data")).singleElement()
                .satisfies(alert -> assertThat(alert.path("subject_id").asText()).isEqualTo(listedDomain));
        assertThat(server.get("/v1/blocklists", keyA).status()).isEqualTo(403);
        assertThat(server.post("/v1/blocklists/check", keyA, null).status()).isEqualTo(403);

        // checking again while listed changes nothing
        server.post("/v1/blocklists/check", ADMIN_KEY, null);
        assertThat(events("alert.raised")).hasSize(2);

        fixture.withdrawZoneLines(LISTINGS);
        var clean = server.post("/v1/blocklists/check", ADMIN_KEY, null).json();
        assertThat(clean.path("listed")).isEmpty();
        assertThat(server.get("/v1/blocklists", ADMIN_KEY).json().path("data")).isEmpty();
        assertThat(server.get("/v1/alerts?kind=blocklisted&state=open", ADMIN_KEY).json().path("data")).isEmpty();
        assertThat(events("alert.resolved")).extracting(event -> event.path("data").path("subject_id").asText())
                .containsExactlyInAnyOrder("127.0.0.11", listedDomain);
    }

    @Test
    void aRefusedQueryIsAFailureNotAListing() throws Exception {
        fixture.publishZoneLines(List.of("12.0.0.127.bl IN A 127.255.255.254"));
        var run = server.post("/v1/blocklists/check", ADMIN_KEY, null).json();
        assertThat(run.path("listed")).isEmpty();
        assertThat(run.path("failures")).singleElement().satisfies(failure -> {
            assertThat(failure.path("subject").asText()).isEqualTo("127.0.0.12");
            assertThat(failure.path("reason").asText()).startsWith("127.255.255.254: query refused");
        });
        assertThat(server.get("/v1/alerts?kind=blocklisted", ADMIN_KEY).json().path("data")).isEmpty();
    }

    @Test
    void aVerifiedDomainsComplianceReportReadsItsRecordsAndDmarc() {
        var report = server.get("/v1/domains/" + listedDomain + "/compliance", ADMIN_KEY);
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        var json = report.json();
        assertThat(json.path("domain").asText()).isEqualTo("news.clienta.example");
        assertThat(json.path("stream").asText()).isEqualTo("marketing");
        assertThat(json.path("bulk_sender").asBoolean()).isFalse();
        assertThat(status(json, "spf")).isEqualTo("pass");
        assertThat(status(json, "dkim")).isEqualTo("pass");
        assertThat(status(json, "alignment")).isEqualTo("pass");
        assertThat(status(json, "dmarc")).isEqualTo("pass");
        assertThat(status(json, "one_click_unsubscribe")).isEqualTo("pass");
        assertThat(status(json, "tls")).isEqualTo("pass");
        // knotd serves clienta.example only: the pool addresses' reverse zone is not there to ask
        assertThat(status(json, "reverse_dns")).isEqualTo("unknown");
        assertThat(json.has("failing")).isFalse();

        var keyB = fixture.key(tenantB, "\"read\"", null);
        assertThat(server.get("/v1/domains/" + listedDomain + "/compliance", keyB).status()).isEqualTo(404);
    }

    private static String status(JsonNode report, String rule) {
        for (var check : report.path("checks")) {
            if (check.path("rule").asText().equals(rule)) {
                return check.path("status").asText();
            }
        }
        throw new AssertionError("no rule " + rule + " in " + report);
    }

    private static JsonNode alert(JsonNode alerts, String subjectKind) {
        for (var alert : alerts) {
            if (alert.path("subject_kind").asText().equals(subjectKind)) {
                return alert;
            }
        }
        throw new AssertionError("no " + subjectKind + " alert in " + alerts);
    }

    private List<JsonNode> events(String type) {
        var result = new ArrayList<JsonNode>();
        server.get("/v1/events?type=" + type, ADMIN_KEY).json().path("data").forEach(result::add);
        return result;
    }
}
