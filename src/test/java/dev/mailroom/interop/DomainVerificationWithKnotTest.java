package dev.mailroom.interop;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's DNS is a real knotd: publish what Mailroom asks for, verify; break the DKIM
 * record, see the domain fail with an event; restore it, see it verify again.
 */
class DomainVerificationWithKnotTest {
    @TempDir
    Path dir;

    private KnotServer knot;
    private TestServer server;
    private String tenant;

    @BeforeEach
    void start() throws Exception {
        knot = KnotServer.start(Files.createDirectories(dir.resolve("knot")), "clienta.example", List.of());
        server = TestServer.start(Files.createDirectories(dir.resolve("data")), null,
                Map.of("MAILROOM_DNS_SERVERS", "127.0.0.1:" + knot.address().getPort(), "MAILROOM_DNS_TIMEOUT", "2s"));
        tenant = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"Client A\"}").text("id");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    void verifiesFailsAndRecoversAsTheClientsZoneChanges() throws Exception {
        var domain = server.post("/v1/domains", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"name\":\"news.clienta.example\",\"stream\":\"marketing\"}").json();
        var id = domain.path("id").asText();

        var unpublished = verify(server, id);
        assertThat(unpublished.path("status").asText()).isEqualTo("pending");
        assertThat(statuses(unpublished)).containsOnly("missing");

        var records = records(domain);
        knot.publish(zoneLines(records, r -> true));
        var verified = verify(server, id);
        assertThat(verified.path("status").asText()).isEqualTo("verified");
        assertThat(verified.path("records")).allSatisfy(r -> assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("verified"));
        assertThat(verified.path("last_checked_at").isNull()).isFalse();

        var cli = cliVerify(server, id);
        assertThat(cli.exit()).as(cli.out()).isZero();
        assertThat(cli.out()).contains("news.clienta.example is verified");

        knot.publish(zoneLines(records, r -> !(r.purpose() == RecordPurpose.DKIM && r.required())));
        var failing = verify(server, id);
        assertThat(failing.path("status").asText()).isEqualTo("failing");
        var dkim = recordOf(failing, "dkim", true);
        assertThat(dkim.path("status").asText()).isEqualTo("missing");
        assertThat(dkim.path("detail").asText()).contains("no CNAME record at");
        var events = server.get("/v1/events?tenant_id=" + tenant + "&type=domain.failing", ADMIN_KEY).json().path("data");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("subject_id").asText()).isEqualTo(id);
        assertThat(events.get(0).path("data").path("records").get(0).path("name").asText()).isEqualTo(dkim.path("name").asText());

        var brokenCli = cliVerify(server, id);
        assertThat(brokenCli.exit()).isEqualTo(1);
        assertThat(brokenCli.out()).containsPattern("missing +required +CNAME +[a-z0-9]+\\._domainkey\\.news\\.clienta\\.example: no CNAME record at");

        knot.publish(zoneLines(records, r -> true));
        assertThat(verify(server, id).path("status").asText()).isEqualTo("verified");
        var verifiedEvents = server.get("/v1/events?tenant_id=" + tenant + "&type=domain.verified", ADMIN_KEY).json().path("data");
        assertThat(verifiedEvents).hasSize(2);
    }

    @Test
    void mistakesAreExplained() throws Exception {
        var domain = server.post("/v1/domains", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"name\":\"tx.clienta.example\",\"setup\":\"txt\"}").json();
        var records = records(domain);
        var lines = new ArrayList<>(zoneLines(records, r -> r.purpose() != RecordPurpose.SPF && r.purpose() != RecordPurpose.TRACKING
                && r.purpose() != RecordPurpose.DMARC));
        lines.add("rp.tx.clienta.example. IN TXT \"v=spf1 include:rp.mailroom.localhost -all\"");
        lines.add("rp.tx.clienta.example. IN TXT \"v=spf1 include:_spf.other.example -all\"");
        lines.add("t.tx.clienta.example. IN CNAME elsewhere.example.");
        lines.add("_dmarc.tx.clienta.example. IN TXT \"v=DMARC1; p=reject; rua=mailto:reports@clienta.example\"");
        knot.publish(lines);
        var checked = verify(server, domain.path("id").asText());
        assertThat(recordOf(checked, "spf", true).path("detail").asText()).contains("two SPF records");
        assertThat(recordOf(checked, "tracking", false).path("detail").asText())
                .isEqualTo("CNAME points to elsewhere.example, expected track.mailroom.localhost");
        assertThat(recordOf(checked, "dmarc", false).path("detail").asText()).contains("rua does not include");
        assertThat(checked.path("status").asText()).isEqualTo("pending");
    }

    private record Run(int exit, String out) {}

    private static Run cliVerify(TestServer server, String id) {
        var out = new java.io.StringWriter();
        var commandLine = dev.mailroom.app.Main.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        int exit = commandLine.execute("domain", "verify", id, "--url", "http://127.0.0.1:" + server.mailroom().httpPort(), "--key", ADMIN_KEY);
        return new Run(exit, out.toString());
    }

    private static JsonNode verify(TestServer server, String id) {
        var response = server.post("/v1/domains/" + id + "/verify", ADMIN_KEY, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static List<DnsRecord> records(JsonNode domain) {
        var result = new ArrayList<DnsRecord>();
        for (var node : domain.path("records")) {
            result.add(new DnsRecord(RecordPurpose.valueOf(node.path("purpose").asText().toUpperCase(Locale.ROOT)),
                    node.path("type").asText(), node.path("name").asText(), node.path("value").asText(),
                    node.path("required").asBoolean(), RecordStatus.PENDING, ""));
        }
        return result;
    }

    private static List<String> zoneLines(List<DnsRecord> records, java.util.function.Predicate<DnsRecord> keep) {
        return records.stream().filter(keep).map(DnsRecord::zoneLine).toList();
    }

    private static List<String> statuses(JsonNode domain) {
        var result = new ArrayList<String>();
        domain.path("records").forEach(r -> result.add(r.path("status").asText()));
        return result;
    }

    private static JsonNode recordOf(JsonNode domain, String purpose, boolean required) {
        for (var record : domain.path("records")) {
            if (record.path("purpose").asText().equals(purpose) && record.path("required").asBoolean() == required) {
                return record;
            }
        }
        throw new AssertionError("no " + purpose + " record in " + domain);
    }
}
