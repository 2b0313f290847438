package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.Await;
import dev.mailroom.smtp.RecordingHandler;
import dev.mailroom.smtp.SmtpServer;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.submission.SendingFixture;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offboarding through the API: the export zip checked file by file against what the API shows,
 * the queue cancelled or left to finish, sending refused over HTTP and SMTP, restore. Delivery is
 * off (queued mail stays queued) except in the last test, where the recipients' MX (Mailroom's own
 * SMTP server, recording) must receive nothing of an offboarded tenant.
 */
class OffboardingApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static SendingFixture fixture;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        fixture = SendingFixture.start(dir, null, 0, Map.of("MAILROOM_WEBHOOKS_ALLOW_PRIVATE", "true"));
        server = fixture.server();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void theExportHoldsEveryPartAsTheApiShowsItAndOffboardingWithCancelStopsEverything() throws Exception {
        var tenant = fixture.createTenant("Client A");
        var domain = fixture.verifiedDomain(tenant, "news.clienta.example", "marketing");
        var key = fixture.key(tenant, "\"send\",\"read\"", null);
        var other = fixture.createTenant("Client B");
        fixture.verifiedDomain(other, "b.clienta.example", "transactional");
        var otherKey = fixture.key(other, "\"send\",\"read\",\"manage\"", null);
        assertThat(server.post("/v1/smtp-credentials", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"networks\":[\"127.0.0.1/32\"]}").status())
                .isEqualTo(201);
        var webhook = server.post("/v1/webhooks", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"url\":\"http://127.0.0.1:9/hook\"}");
        assertThat(webhook.status()).as(webhook.body()).isEqualTo(201);
        assertThat(server.post("/v1/suppressions", ADMIN_KEY, "{\"tenant_id\":\"" + tenant + "\",\"email\":\"gone@example.net\",\"reason\":\"manual\"}")
                .status()).isEqualTo(201);
        var first = send(key, "news@news.clienta.example", "ann@example.net\",\"gone@example.net",
                ",\"tags\":[\"welcome\",\"q4\"],\"metadata\":{\"crm\":\"42, \\\"gold\\\"\"}");
        var second = send(key, "news@news.clienta.example", "bob@example.net", "");
        var bySmtp = submitBySmtp("news@news.clienta.example", "carl@example.net");
        assertThat(bySmtp.code()).as(bySmtp.text()).isEqualTo(250);
        var third = bySmtp.text().replaceAll("(?s).*queued as (msg_[0-9a-z]+).*", "$1");

        // accepted mail reaches the index (and the event log) in batches
        Await.until("the messages in the index", Duration.ofSeconds(10), () -> allEvents(tenant, key).stream()
                .filter(e -> e.path("type").asText().startsWith("message.")).count() == 4);

        var export = export(tenant, key);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/zip");
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"" + tenant + "-export.zip\"");
        var files = unzip(export.body());
        assertThat(files.keySet()).containsExactly("README.txt", "tenant.json", "domains.json", "dns-records-to-remove.csv",
                "suppressions.csv", "messages.jsonl", "messages.csv", "events.jsonl", "stats.csv", "stats.json");
        assertThat(files.get("README.txt")).contains("never the body");
        files.keySet().forEach(name -> assertThat(files.get("README.txt")).contains(name));
        assertThat(JSON.readTree(files.get("tenant.json"))).isEqualTo(server.get("/v1/tenants/" + tenant, key).json());
        var shownDomain = server.get("/v1/domains/" + domain, key).json();
        assertThat(JSON.readTree(files.get("domains.json"))).isEqualTo(JSON.createArrayNode().add(shownDomain));
        var records = new ArrayList<String>();
        records.add("domain,purpose,type,name,value,status");
        for (var record : shownDomain.path("records")) {
            var value = record.path("value").asText();
            records.add(String.join(",", "news.clienta.example", record.path("purpose").asText(), record.path("type").asText(),
                    record.path("name").asText(), value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value,
                    record.path("status").asText()));
        }
        assertThat(records).hasSizeGreaterThan(2);
        assertThat(lines(files.get("dns-records-to-remove.csv"))).containsExactlyElementsOf(records);
        assertThat(files.get("suppressions.csv")).isEqualTo(server.get("/v1/suppressions/export", key).body());
        assertThat(files.get("suppressions.csv")).contains("gone@example.net");
        var messages = new ArrayList<JsonNode>();
        for (var line : lines(files.get("messages.jsonl"))) {
            messages.add(JSON.readTree(line));
        }
        assertThat(messages).containsExactly(server.get("/v1/messages/" + first, key).json(), server.get("/v1/messages/" + second, key).json(),
                server.get("/v1/messages/" + third, key).json());
        assertThat(files.get("messages.jsonl")).doesNotContain("Hi there");
        assertThat(lines(files.get("messages.csv"))).containsExactly(
                "message_id,domain_id,from,subject,created_at,tags,metadata,email,status,attempts,last_response,updated_at",
                csvLine(messages.get(0), 0, "welcome;q4", "\"{\"\"crm\"\":\"\"42, \\\"\"gold\\\"\"\"\"}\""),
                csvLine(messages.get(0), 1, "welcome;q4", "\"{\"\"crm\"\":\"\"42, \\\"\"gold\\\"\"\"\"}\""),
                csvLine(messages.get(1), 0, "", "{}"),
                csvLine(messages.get(2), 0, "", "{}"));
        var events = new ArrayList<JsonNode>();
        for (var line : lines(files.get("events.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).isEqualTo(allEvents(tenant, key));
        assertThat(events).extracting(e -> e.path("type").asText()).contains("domain.verified", "message.queued", "message.suppressed");
        assertThat(lines(files.get("stats.csv")).get(0)).isEqualTo("day,sent,delivered,deferred,hard_bounced,soft_bounced,failed,complained,"
                + "opened,clicked,unsubscribed,suppressed");
        var stats = JSON.readTree(files.get("stats.json"));
        assertThat(stats.path("data").size()).as("a row per day, as the CSV").isEqualTo(lines(files.get("stats.csv")).size() - 1);
        var shownStats = server.get("/v1/stats?interval=day&from=" + stats.path("data").get(0).path("start").asText(), key).json();
        assertThat(stats.path("totals").path("sent").asLong()).isEqualTo(shownStats.path("totals").path("sent").asLong());

        // who may do what
        assertThat(export(tenant, otherKey).statusCode()).as("another tenant's export").isEqualTo(404);
        assertThat(server.post("/v1/tenants/" + tenant + "/offboard", key, "{\"queue\":\"cancel\"}").status()).isEqualTo(403);
        var bad = server.post("/v1/tenants/" + tenant + "/offboard", ADMIN_KEY, "{\"queue\":\"sideways\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body()).contains("queue");
        assertThat(server.post("/v1/tenants/" + tenant + "/offboard", ADMIN_KEY, "{}").status()).isEqualTo(422);
        assertThat(server.get("/v1/tenants/" + tenant, ADMIN_KEY).text("status")).isEqualTo("active");

        var offboarded = server.post("/v1/tenants/" + tenant + "/offboard", ADMIN_KEY, "{\"queue\":\"cancel\"}");
        assertThat(offboarded.status()).as(offboarded.body()).isEqualTo(200);
        assertThat(offboarded.json().path("cancelled_recipients").asInt()).isEqualTo(3);
        assertThat(offboarded.json().path("tenant").path("status").asText()).isEqualTo("offboarded");
        assertThat(offboarded.json().path("tenant").path("lifecycle").asText()).isEqualTo("offboarded");
        assertThat(offboarded.json().path("tenant").path("pool").isNull()).isTrue();
        assertThat(offboarded.json().path("archive").path("queue").asText()).isEqualTo("cancel");
        for (var message : List.of(first, second, third)) {
            for (var recipient : server.get("/v1/messages/" + message, key).json().path("recipients")) {
                assertThat(recipient.path("status").asText()).as(message + " " + recipient)
                        .isIn("cancelled", recipient.path("email").asText().equals("gone@example.net") ? "suppressed" : "cancelled");
            }
        }
        var spool = server.mailroom().spool();
        assertThat(spool.states(first)).containsExactly(RecipientState.CANCELLED);
        assertThat(spool.states(third)).containsExactly(RecipientState.CANCELLED);
        assertThat(spool.due(tenant, Long.MAX_VALUE, 100, SpooledMessage.LOWEST_PRIORITY, (m, i) -> false).recipients())
                .as("nothing of the tenant is left to deliver").isEmpty();
        assertThat(server.post("/v1/tenants/" + tenant + "/offboard", ADMIN_KEY, "{\"queue\":\"cancel\"}").status()).isEqualTo(409);

        var refused = server.post("/v1/messages", key, "{\"from\":\"news@news.clienta.example\",\"to\":[\"dan@example.net\"],\"subject\":\"Hi\",\"text\":\"Hi\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("is offboarded");
        var refusedBySmtp = submitBySmtp("news@news.clienta.example", "dan@example.net");
        assertThat(refusedBySmtp.code()).isEqualTo(550);
        assertThat(refusedBySmtp.text()).contains("5.7.1").contains("is offboarded");
        assertThat(server.get("/v1/events?tenant_id=" + tenant + "&type=tenant.offboarded", ADMIN_KEY).json().path("data")).hasSize(1);
        send(otherKey, "app@b.clienta.example", "erin@example.net", "");

        var after = unzip(export(tenant, key).body());
        assertThat(JSON.readTree(after.get("tenant.json")).path("status").asText()).as("the client's own key still reads").isEqualTo("offboarded");
        assertThat(lines(after.get("messages.csv"))).filteredOn(line -> line.contains("ann@example.net")).singleElement().asString()
                .contains(",cancelled,");

        var restored = server.post("/v1/tenants/" + tenant + "/restore", ADMIN_KEY, null);
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().path("status").asText()).isEqualTo("active");
        assertThat(restored.json().path("lifecycle").asText()).isEqualTo("setup");
        assertThat(restored.json().path("pool").asText()).isEqualTo("pool_starter");
        assertThat(server.get("/v1/webhooks/" + webhook.text("id"), ADMIN_KEY).status()).isEqualTo(200);
        send(key, "news@news.clienta.example", "fay@example.net", "");
        assertThat(server.post("/v1/tenants/" + tenant + "/restore", ADMIN_KEY, null).status()).isEqualTo(409);
    }

    @Test
    void offboardingWithFinishLeavesTheQueueToDelivery() throws Exception {
        var tenant = fixture.createTenant("Client C");
        fixture.verifiedDomain(tenant, "c.clienta.example", "transactional");
        var key = fixture.key(tenant, "\"send\",\"read\"", null);
        var message = send(key, "app@c.clienta.example", "gus@example.net", "");

        var offboarded = server.post("/v1/tenants/" + tenant + "/offboard", ADMIN_KEY, "{\"queue\":\"finish\"}");
        assertThat(offboarded.status()).as(offboarded.body()).isEqualTo(200);
        assertThat(offboarded.json().path("cancelled_recipients").asInt()).isZero();
        assertThat(offboarded.json().path("tenant").path("pool").asText()).as("kept until the queue is delivered").isEqualTo("pool_starter");
        assertThat(server.get("/v1/messages/" + message, key).json().path("recipients").path(0).path("status").asText()).isEqualTo("queued");
        assertThat(server.mailroom().spool().states(message)).containsExactly(RecipientState.QUEUED);
    }

    @Test
    void afterOffboardingWithCancelDeliverySendsNothingOfTheTenant() throws Exception {
        var mxAddress = "127.0.0.41";
        var mx = new RecordingHandler();
        try (var delivering = SendingFixture.start(dir.resolve("delivering"), null, 0, Map.of());
                var receiver = new SmtpServer(new InetSocketAddress(mxAddress, 0), SmtpServer.Settings.defaults("mx.inbox.clienta.example"), null, mx)
                        .start()) {
            var leaving = delivering.createTenant("Client D");
            delivering.verifiedDomain(leaving, "d.clienta.example", "transactional");
            var leavingKey = delivering.key(leaving, "\"send\"", null);
            var staying = delivering.createTenant("Client E");
            delivering.verifiedDomain(staying, "e.clienta.example", "transactional");
            var stayingKey = delivering.key(staying, "\"send\",\"read\"", null);
            delivering.publishZoneLines(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + mxAddress));
            var deliveringServer = delivering.server();
            for (int i = 0; i < 3; i++) {
                send(deliveringServer, leavingKey, "app@d.clienta.example", "left" + i + "@inbox.clienta.example", "");
            }
            assertThat(deliveringServer.post("/v1/tenants/" + leaving + "/offboard", ADMIN_KEY, "{\"queue\":\"cancel\"}").json()
                    .path("cancelled_recipients").asInt()).isEqualTo(3);

            deliveringServer.restart(Map.of("MAILROOM_DELIVERY_ENABLED", "true", "MAILROOM_DELIVERY_MX_PORT", Integer.toString(receiver.port())));
            var control = send(deliveringServer, stayingKey, "app@e.clienta.example", "stays@inbox.clienta.example", "");
            Await.until(control + " to be delivered", Duration.ofSeconds(30), () -> deliveringServer.get("/v1/messages/" + control, stayingKey)
                    .json().path("recipients").path(0).path("status").asText().equals("delivered"));
            Thread.sleep(1000); // a round of the scheduler more, for anything of the offboarded tenant to show up
            assertThat(mx.transactions).as("only the tenant still sending reached the MX").singleElement()
                    .satisfies(t -> assertThat(t.recipients()).containsExactly("stays@inbox.clienta.example"));
        }
    }

    private static String send(String key, String from, String to, String extra) {
        return send(server, key, from, to, extra);
    }

    private static String send(TestServer target, String key, String from, String to, String extra) {
        var response = target.post("/v1/messages", key,
                "{\"from\":\"" + from + "\",\"to\":[\"" + to + "\"],\"subject\":\"Hello\",\"text\":\"Hi there\"" + extra + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("id");
    }

    private static String csvLine(JsonNode message, int recipient, String tags, String metadata) {
        var r = message.path("recipients").path(recipient);
        return String.join(",", message.path("id").asText(), message.path("domain_id").asText(), message.path("from").asText(),
                message.path("subject").asText(), message.path("created_at").asText(), tags, metadata, r.path("email").asText(),
                r.path("status").asText(), r.path("attempts").asText(), r.path("last_response").isNull() ? "" : r.path("last_response").asText(),
                r.path("updated_at").asText());
    }

    private static List<JsonNode> allEvents(String tenant, String key) {
        var all = new ArrayList<JsonNode>();
        String cursor = null;
        do {
            var page = server.get("/v1/events?tenant_id=" + tenant + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key).json();
            page.path("data").forEach(all::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        return all;
    }

    private static HttpResponse<byte[]> export(String tenant, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.mailroom().httpPort() + "/v1/tenants/" + tenant + "/export"))
                .header("Authorization", "Bearer " + key).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        var files = new LinkedHashMap<String, String>();
        try (var in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private record Reply(int code, String text) {}

    /** One message through SMTP submission from 127.0.0.1 (a network credential of the tenant, so no AUTH); the reply to its data. */
    private static Reply submitBySmtp(String from, String to) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.mailroom().smtpPort())) {
            socket.setSoTimeout(10_000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            expect(in, 220);
            command(out, "EHLO app.clienta.example");
            expect(in, 250);
            command(out, "MAIL FROM:<" + from + ">");
            expect(in, 250);
            command(out, "RCPT TO:<" + to + ">");
            expect(in, 250);
            command(out, "DATA");
            expect(in, 354);
            command(out, "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: By SMTP\r\n\r\nHi there\r\n.");
            var reply = read(in);
            command(out, "QUIT");
            return reply;
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void expect(BufferedReader in, int code) throws IOException {
        var reply = read(in);
        assertThat(reply.code()).as(reply.text()).isEqualTo(code);
    }

    private static Reply read(BufferedReader in) throws IOException {
        var text = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("closed after: " + text);
            }
            text.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
    }
}
