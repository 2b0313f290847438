package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.feedback.dmarc.Ingested;
import dev.mailroom.feedback.dmarc.SampleReports;
import dev.mailroom.feedback.dmarc.SampleReports.Row;
import dev.mailroom.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** GET /v1/dmarc-reports over HTTP: reports reached through the address a domain publishes, and who sees them. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class DmarcReportsApiTest {
    private static final Pattern REPORT_ADDRESS = Pattern.compile("rua=mailto:dmarc\\+([a-z0-9]+)@");

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

    private JsonNode created(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private JsonNode ok(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String tenant(String name) {
        return created(server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + name + "\"}")).path("id").asText();
    }

    private JsonNode domain(String tenantId, String name) {
        return created(server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenantId + "\",\"name\":\"" + name + "\"}"));
    }

    private String key(String tenantId, String permissions, String domainIds) {
        var body = "{\"tenant_id\":\"" + tenantId + "\",\"permissions\":" + permissions + (domainIds == null ? "" : ",\"domain_ids\":" + domainIds) + "}";
        return created(server.post("/v1/api-keys", ADMIN_KEY, body)).path("key").asText();
    }

    /** The token in the rua address the domain's DMARC record asks receivers to report to. */
    private static String reportToken(JsonNode domain) {
        for (var record : domain.path("records")) {
            if (record.path("purpose").asText().equals("dmarc")) {
                var matcher = REPORT_ADDRESS.matcher(record.path("value").asText());
                assertThat(matcher.find()).as(record.toString()).isTrue();
                return matcher.group(1);
            }
        }
        throw new AssertionError("no DMARC record: " + domain);
    }

    private String ingest(JsonNode domain, String reportId, Row... rows) {
        var xml = SampleReports.report("Receiver", reportId, domain.path("name").asText(), rows);
        var result = server.mailroom().dmarcReports().ingest(reportToken(domain), SampleReports.gzip(xml.getBytes(StandardCharsets.UTF_8)),
                "application/gzip", "report.xml.gz");
        assertThat(result).isInstanceOf(Ingested.Stored.class);
        return ((Ingested.Stored) result).id();
    }

    private static List<String> ids(JsonNode page) {
        var ids = new ArrayList<String>();
        page.path("data").forEach(report -> ids.add(report.path("id").asText()));
        return ids;
    }

    @Test
    void aReportSentToTheDomainsAddressIsListedWithTotalsBySourceAndShownWithItsRecords() {
        var domain = domain(tenant("Client A"), "news.clienta.example");
        var id = ingest(domain, "r-1",
                new Row("203.0.113.25", 120, "none", "pass", "pass", "news.clienta.example"),
                new Row("198.51.100.7", 4, "quarantine", "fail", "fail", "news.clienta.example"),
                new Row("203.0.113.25", 30, "none", "fail", "pass", "news.clienta.example"));

        var page = ok(server.get("/v1/dmarc-reports?domain_id=" + domain.path("id").asText(), ADMIN_KEY));
        assertThat(ids(page)).containsExactly(id);
        assertThat(page.path("next_cursor").isNull()).isTrue();
        var report = page.path("data").get(0);
        assertThat(report.path("domain").asText()).isEqualTo("news.clienta.example");
        assertThat(report.path("org_name").asText()).isEqualTo("Receiver");
        assertThat(report.path("report_id").asText()).isEqualTo("r-1");
        assertThat(report.path("date_range").path("begin").asText()).isEqualTo("2023-11-15T00:00:00Z");
        assertThat(report.path("date_range").path("end").asText()).isEqualTo("2023-11-15T23:59:59Z");
        assertThat(report.path("policy_published").toString())
                .isEqualTo("{\"domain\":\"news.clienta.example\",\"adkim\":\"r\",\"aspf\":\"r\",\"p\":\"none\",\"sp\":\"none\",\"pct\":100,\"fo\":null}");
        assertThat(report.path("message_count").asLong()).isEqualTo(154);
        assertThat(report.path("sources").toString()).isEqualTo("[{\"source_ip\":\"203.0.113.25\",\"count\":150,\"dmarc_pass\":150,"
                + "\"dmarc_fail\":0,\"dkim_aligned_pass\":120,\"spf_aligned_pass\":150,\"dispositions\":{\"none\":150,\"pass\":0,\"quarantine\":0,\"reject\":0}},"
                + "{\"source_ip\":\"198.51.100.7\",\"count\":4,\"dmarc_pass\":0,\"dmarc_fail\":4,\"dkim_aligned_pass\":0,\"spf_aligned_pass\":0,"
                + "\"dispositions\":{\"none\":0,\"pass\":0,\"quarantine\":4,\"reject\":0}}]");
        assertThat(report.has("records")).isFalse();

        var detail = ok(server.get("/v1/dmarc-reports/" + id, ADMIN_KEY));
        assertThat(detail.path("sources")).isEqualTo(report.path("sources"));
        var records = detail.path("records");
        assertThat(records).hasSize(3);
        var second = records.get(1);
        assertThat(second.path("source_ip").asText()).isEqualTo("198.51.100.7");
        assertThat(second.path("disposition").asText()).isEqualTo("quarantine");
        assertThat(second.path("dkim").asText()).isEqualTo("fail");
        assertThat(second.path("dmarc_pass").asBoolean()).isFalse();
        assertThat(second.path("header_from").asText()).isEqualTo("news.clienta.example");
        assertThat(second.path("auth_results").toString()).isEqualTo("{\"dkim\":[{\"domain\":\"news.clienta.example\",\"selector\":\"mr1\","
                + "\"result\":\"fail\",\"human_result\":null}],\"spf\":[{\"domain\":\"rp.news.clienta.example\",\"scope\":\"mfrom\",\"result\":\"fail\"}]}");
        assertThat(records.get(2).path("dkim_aligned").asBoolean()).isFalse();
        assertThat(records.get(2).path("spf_aligned").asBoolean()).isTrue();
        assertThat(records.get(2).path("dmarc_pass").asBoolean()).isTrue();
    }

    @Test
    void aTenantsKeySeesItsOwnReportsOnly() {
        var tenantA = tenant("Client A");
        var tenantB = tenant("Client B");
        var domainA = domain(tenantA, "news.clienta.example");
        var domainB = domain(tenantB, "mail.clientb.example");
        var reportA = ingest(domainA, "a-1", new Row("192.0.2.1", 1, "none", "pass", "pass", "news.clienta.example"));
        var reportB = ingest(domainB, "b-1", new Row("192.0.2.2", 2, "none", "pass", "pass", "mail.clientb.example"));
        var keyA = key(tenantA, "[\"read\"]", null);
        var keyB = key(tenantB, "[\"read\"]", null);

        assertThat(ids(ok(server.get("/v1/dmarc-reports", keyA)))).containsExactly(reportA);
        assertThat(ids(ok(server.get("/v1/dmarc-reports", keyB)))).containsExactly(reportB);
        assertThat(ids(ok(server.get("/v1/dmarc-reports", ADMIN_KEY)))).containsExactly(reportA, reportB);
        assertThat(ids(ok(server.get("/v1/dmarc-reports?tenant_id=" + tenantB, ADMIN_KEY)))).containsExactly(reportB);

        var byDomain = server.get("/v1/dmarc-reports?domain_id=" + domainA.path("id").asText(), keyB);
        assertThat(byDomain.status()).isEqualTo(404);
        assertThat(byDomain.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(server.get("/v1/dmarc-reports/" + reportA, keyB).status()).isEqualTo(404);
        assertThat(server.get("/v1/dmarc-reports?tenant_id=" + tenantA, keyB).status()).isEqualTo(404);
        assertThat(ok(server.get("/v1/dmarc-reports/" + reportA, keyA)).path("id").asText()).isEqualTo(reportA);
        assertThat(server.get("/v1/dmarc-reports/dmr_nosuchreport", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void aKeyLimitedToDomainsAsksByDomainAndAKeyWithoutReadIsRefused() {
        var tenantA = tenant("Client A");
        var domain = domain(tenantA, "news.clienta.example");
        var other = domain(tenantA, "other.clienta.example");
        var report = ingest(domain, "r-1", new Row("192.0.2.1", 1, "none", "pass", "pass", "news.clienta.example"));
        var limited = key(tenantA, "[\"read\"]", "[\"" + domain.path("id").asText() + "\"]");
        var limitedElsewhere = key(tenantA, "[\"read\"]", "[\"" + other.path("id").asText() + "\"]");

        assertThat(server.get("/v1/dmarc-reports", limited).status()).isEqualTo(403);
        assertThat(ids(ok(server.get("/v1/dmarc-reports?domain_id=" + domain.path("id").asText(), limited)))).containsExactly(report);
        assertThat(ok(server.get("/v1/dmarc-reports/" + report, limited)).path("id").asText()).isEqualTo(report);
        assertThat(server.get("/v1/dmarc-reports/" + report, limitedElsewhere).status()).isEqualTo(404);
        assertThat(server.get("/v1/dmarc-reports?domain_id=" + domain.path("id").asText(), limitedElsewhere).status()).isEqualTo(404);

        var sendOnly = key(tenantA, "[\"send\"]", null);
        assertThat(server.get("/v1/dmarc-reports", sendOnly).status()).isEqualTo(403);
        assertThat(server.get("/v1/dmarc-reports/" + report, sendOnly).status()).isEqualTo(403);
        assertThat(server.get("/v1/dmarc-reports", null).status()).isEqualTo(401);
    }

    @Test
    void sinceLeavesOutEarlierPeriodsAndMustBeATime() {
        var domain = domain(tenant("Client A"), "news.clienta.example");
        var report = ingest(domain, "r-1", new Row("192.0.2.1", 1, "none", "pass", "pass", "news.clienta.example"));
        var path = "/v1/dmarc-reports?domain_id=" + domain.path("id").asText();
        assertThat(ids(ok(server.get(path + "&since=2023-11-15T23:59:59Z", ADMIN_KEY)))).containsExactly(report);
        assertThat(ids(ok(server.get(path + "&since=2023-11-16T00:00:00Z", ADMIN_KEY)))).isEmpty();

        var bad = server.get(path + "&since=yesterday", ADMIN_KEY);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text("detail")).isEqualTo("since must be an RFC 3339 time such as 2026-11-24T09:30:00Z, got 'yesterday'");
        assertThat(server.get(path + "&limit=0", ADMIN_KEY).status()).isEqualTo(422);
    }
}
