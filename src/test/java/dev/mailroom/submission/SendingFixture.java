package dev.mailroom.submission;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.KnotServer;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.store.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Mailroom whose clients' DNS is a real knotd serving zone {@code clienta.example}:
 * domains are added through the API, their records published in knot and verified, so mail can
 * be sent from them as in production.
 */
public final class SendingFixture implements AutoCloseable {
    public static final String ZONE = "clienta.example";
    private final KnotServer knot;
    private final TestServer server;
    private final List<String> published = new ArrayList<>();

    private SendingFixture(KnotServer knot, TestServer server) {
        this.knot = knot;
        this.server = server;
    }

    /** @param knotPort 0 for a free port; 53 when packaged DKIM verifiers must reach the same DNS */
    public static SendingFixture start(Path dir, TestDatabase.Instance database, int knotPort, Map<String, String> env) throws Exception {
        return start(dir, database, knotPort, env, java.time.Clock.systemUTC());
    }

    /** As above, the server on a clock the test may move. */
    public static SendingFixture start(Path dir, TestDatabase.Instance database, int knotPort, Map<String, String> env, java.time.Clock clock)
            throws Exception {
        var knot = KnotServer.start(Files.createDirectories(dir.resolve("knot")), ZONE, List.of(), knotPort);
        try {
            var all = new HashMap<>(env);
            all.put("MAILROOM_DNS_SERVERS", "127.0.0.1:" + knot.address().getPort());
            all.put("MAILROOM_DNS_TIMEOUT", "2s");
            all.putIfAbsent("MAILROOM_SMTP_SUBMISSION_LISTEN", "127.0.0.1:0");
            return new SendingFixture(knot, TestServer.start(Files.createDirectories(dir.resolve("data")), database, all, clock));
        } catch (RuntimeException e) {
            knot.close();
            throw e;
        }
    }

    public TestServer server() {
        return server;
    }

    public String createTenant(String name) {
        var response = server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"" + name + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }

    /** Adds a domain (setup txt: the keys themselves are in the zone), publishes its records and verifies it. */
    public String verifiedDomain(String tenant, String name, String stream) throws Exception {
        var domain = addDomain(tenant, name, stream);
        publish(domain);
        var verified = server.post("/v1/domains/" + domain.path("id").asText() + "/verify", ADMIN_KEY, null).json();
        assertThat(verified.path("status").asText()).as(verified.toString()).isEqualTo("verified");
        return domain.path("id").asText();
    }

    public JsonNode addDomain(String tenant, String name, String stream) {
        var response = server.post("/v1/domains", ADMIN_KEY,
                "{\"tenant_id\":\"" + tenant + "\",\"name\":\"" + name + "\",\"stream\":\"" + stream + "\",\"setup\":\"txt\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    public void publish(JsonNode domain) throws Exception {
        for (var record : domain.path("records")) {
            published.add(new DnsRecord(RecordPurpose.valueOf(record.path("purpose").asText().toUpperCase(java.util.Locale.ROOT)),
                    record.path("type").asText(), record.path("name").asText(), record.path("value").asText(), true, RecordStatus.PENDING, "")
                    .zoneLine());
        }
        knot.publish(published);
    }

    /** Adds zone-file lines (relative to {@link #ZONE}) to what knot serves, e.g. the MX records of recipient domains. */
    public void publishZoneLines(List<String> lines) throws Exception {
        published.addAll(lines);
        knot.publish(published);
    }

    /** Takes zone-file lines added by {@link #publishZoneLines} out of what knot serves again. */
    public void withdrawZoneLines(List<String> lines) throws Exception {
        published.removeAll(lines);
        knot.publish(published);
    }

    /** A key of the tenant with the given permissions (and domains, when not null). */
    public String key(String tenant, String permissions, List<String> domainIds) {
        var body = "{\"tenant_id\":\"" + tenant + "\",\"permissions\":[" + permissions + "]"
                + (domainIds == null ? "" : ",\"domain_ids\":[\"" + String.join("\",\"", domainIds) + "\"]") + "}";
        var response = server.post("/v1/api-keys", ADMIN_KEY, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("key");
    }

    @Override
    public void close() {
        server.close();
        knot.close();
    }
}
