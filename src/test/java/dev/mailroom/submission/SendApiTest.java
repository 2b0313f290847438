package dev.mailroom.submission;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /v1/messages and friends against a running Mailroom whose client DNS is knotd; on H2 and PostgreSQL. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class SendApiTest {
    @Parameter
    TestDatabase kind;

    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private String tenantA;
    private String tenantB;
    private String keyA;

    @BeforeEach
    void start() throws Exception {
        database = kind.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of());
        server = fixture.server();
        tenantA = fixture.createTenant("Client A");
        tenantB = fixture.createTenant("Client B");
        fixture.verifiedDomain(tenantA, "tx.clienta.example", "transactional");
        fixture.verifiedDomain(tenantA, "news.clienta.example", "marketing");
        fixture.verifiedDomain(tenantB, "b.clienta.example", "transactional");
        keyA = fixture.key(tenantA, "\"send\",\"read\",\"manage\"", null);
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

    private static String message(String from, String to, String extra) {
        return "{\"from\":\"" + from + "\",\"to\":[\"" + to + "\"],\"subject\":\"Hello\",\"text\":\"Hi there\"" + extra + "}";
    }

    private SpooledMessage spooled(String id) {
        return server.mailroom().spool().read(id).orElseThrow(() -> new AssertionError("not spooled: " + id));
    }

    private int spooledCount() {
        var count = new int[1];
        server.mailroom().spool().acceptedSince("msg_", m -> count[0]++);
        return count[0];
    }

    @Test
    void acceptsComposesSignsAndSpools() {
        var attachment = Base64.getEncoder().encodeToString("%PDF-1.4 invoice".getBytes(StandardCharsets.US_ASCII));
        var response = server.post("/v1/messages", keyA, """
                {"from": "Zoë Müller <zoe@news.clienta.example>", "to": ["Ann <ann@example.net>"], "cc": ["bob@example.org"],
                 "bcc": ["audit@example.com"], "reply_to": "help@clienta.example", "subject": "Grüße & news",
                 "text": "Hallo – plain", "html": "<p>Hallo <a href=\\"https://clienta.example/offer\\">offer</a></p>",
                 "headers": {"X-Campaign": "winter"}, "attachments": [{"filename": "rechnung.pdf", "content_type": "application/pdf",
                 "content": "%s"}], "tags": ["winter-sale"], "metadata": {"order": "42"}, "track_opens": true, "track_clicks": true}
                """.formatted(attachment));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var id = response.text("id");
        assertThat(response.json().path("recipients")).extracting(r -> r.path("status").asText()).containsOnly("queued");

        var message = spooled(id);
        assertThat(message.recipients()).containsExactly("ann@example.net", "bob@example.org", "audit@example.com");
        assertThat(message.returnPathDomain()).isEqualTo("rp.news.clienta.example");
        var text = new String(message.body(), StandardCharsets.UTF_8);
        var headers = text.substring(0, text.indexOf("\r\n\r\n"));
        assertThat(headers).startsWith("DKIM-Signature: v=1; a=").contains("DKIM-Signature: v=1; a=ed25519-sha256")
                .contains("DKIM-Signature: v=1; a=rsa-sha256")
                .contains("d=news.clienta.example").contains("Message-ID: <" + id + "@news.clienta.example>")
                .contains("MIME-Version: 1.0").contains("Date: ").contains("From: =?UTF-8?")
                .contains("List-Unsubscribe: <https://t.news.clienta.example/u/").contains("mailto:u-")
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
                .contains("Feedback-ID: winter-sale:marketing:").contains("X-Campaign: winter").doesNotContain("audit@example.com");
        // quoted-printable (ASCII here), decoded enough to read the links
        var decoded = java.util.regex.Pattern.compile("=([0-9A-F]{2})").matcher(text.replace("=\r\n", ""))
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        assertThat(decoded).contains("https://t.news.clienta.example/c/").contains("https://t.news.clienta.example/o/")
                .doesNotContain("href=\"https://clienta.example/offer\"");

        var verp = server.mailroom().verp();
        for (int i = 0; i < message.recipients().size(); i++) {
            var returnPath = verp.returnPath(id, i, message.returnPathDomain());
            assertThat(returnPath).endsWith("@rp.news.clienta.example");
            var target = verp.decode(returnPath).orElseThrow();
            assertThat(message.recipients().get(target.recipientIndex())).isEqualTo(message.recipients().get(i));
        }
        assertThat(verp.decode(verp.returnPath(id, 1, "rp.news.clienta.example").replace("-1-", "-2-"))).isEmpty();

        var read = server.get("/v1/messages/" + id, keyA);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.text("from")).isEqualTo("zoe@news.clienta.example");
        assertThat(read.text("subject")).isEqualTo("Grüße & news");
        assertThat(read.json().path("recipients")).hasSize(3).allSatisfy(r -> {
            assertThat(r.path("status").asText()).isEqualTo("queued");
            assertThat(r.path("attempts").asInt()).isZero();
        });
        var keyB = fixture.key(tenantB, "\"send\",\"read\"", null);
        assertThat(server.get("/v1/messages/" + id, keyB).status()).isEqualTo(404);
    }

    @Test
    void refusesWhatItMustAndSpoolsNothingForIt() throws Exception {
        var before = spooledCount();
        var otherTenant = server.post("/v1/messages", keyA, message("x@b.clienta.example", "ann@example.net", ""));
        assertThat(otherTenant.status()).isEqualTo(422);
        assertThat(otherTenant.text("type")).endsWith("sender-not-allowed");
        assertThat(otherTenant.json().path("errors").get(0).path("field").asText()).isEqualTo("from");

        var pending = fixture.addDomain(tenantA, "new.clienta.example", "transactional");
        var unverified = server.post("/v1/messages", keyA, message("x@new.clienta.example", "ann@example.net", ""));
        assertThat(unverified.status()).isEqualTo(422);
        assertThat(unverified.text("detail")).contains("not verified").contains(pending.path("id").asText());

        var injection = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net",
                ",\"headers\":{\"X-Note\":\"a\\r\\nBcc: victim@example.com\"}"));
        assertThat(injection.status()).isEqualTo(422);
        assertThat(injection.json().path("errors").get(0).path("field").asText()).isEqualTo("headers.X-Note");
        var owned = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net", ",\"headers\":{\"DKIM-Signature\":\"v=1\"}"));
        assertThat(owned.status()).isEqualTo(422);

        var huge = Base64.getEncoder().encodeToString(new byte[30 * 1024 * 1024]);
        var tooLarge = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net",
                ",\"attachments\":[{\"filename\":\"big.bin\",\"content_type\":\"application/octet-stream\",\"content\":\"" + huge + "\"}]"));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");

        var malformed = server.post("/v1/messages", keyA, "{\"from\": ");
        assertThat(malformed.status()).isEqualTo(400);
        var invalid = server.post("/v1/messages", keyA, "{\"from\":\"not an address\",\"to\":[],\"subject\":\"x\",\"send_at\":\"tomorrow\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("errors")).extracting(e -> e.path("field").asText()).contains("from", "to", "text", "send_at");

        var readOnly = fixture.key(tenantA, "\"read\"", null);
        assertThat(server.post("/v1/messages", readOnly, message("x@tx.clienta.example", "ann@example.net", "")).status()).isEqualTo(403);

        server.post("/v1/tenants/" + tenantA + "/pause", ADMIN_KEY, "{\"reason\":\"complaint rate 0.6%\"}");
        var paused = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net", ""));
        assertThat(paused.status()).isEqualTo(403);
        assertThat(paused.text("detail")).contains("paused").contains("complaint rate 0.6%");
        assertThat(spooledCount()).isEqualTo(before);
    }

    @Test
    void aDomainLimitedKeySendsOnlyFromItsDomains() {
        var domains = server.get("/v1/domains?tenant_id=" + tenantA, ADMIN_KEY).json().path("data");
        var txId = new ArrayList<String>();
        domains.forEach(d -> {
            if (d.path("name").asText().equals("tx.clienta.example")) {
                txId.add(d.path("id").asText());
            }
        });
        var limited = fixture.key(tenantA, "\"send\"", txId);
        assertThat(server.post("/v1/messages", limited, message("x@tx.clienta.example", "ann@example.net", "")).status()).isEqualTo(202);
        var refused = server.post("/v1/messages", limited, message("x@news.clienta.example", "ann@example.net", ""));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text("detail")).contains("limited to other domains");
    }

    @Test
    void suppressedRecipientsAreMarkedAndNotSpooled() {
        var added = server.post("/v1/suppressions", keyA, "{\"email\":\"Gone@Example.net\",\"reason\":\"hard_bounce\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(server.post("/v1/suppressions", keyA, "{\"email\":\"gone@example.net\",\"reason\":\"hard_bounce\"}").status()).isEqualTo(200);
        var response = server.post("/v1/messages", keyA,
                "{\"from\":\"x@tx.clienta.example\",\"to\":[\"gone@example.net\",\"ann@example.net\"],\"subject\":\"s\",\"text\":\"t\"}");
        assertThat(response.status()).isEqualTo(202);
        var recipients = response.json().path("recipients");
        assertThat(recipients.get(0).path("status").asText()).isEqualTo("suppressed");
        assertThat(recipients.get(0).path("reason").asText()).isNotEmpty();
        assertThat(recipients.get(1).path("status").asText()).isEqualTo("queued");
        var id = response.text("id");
        assertThat(spooled(id).recipients()).containsExactly("ann@example.net");

        var allSuppressed = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "gone@example.net", ""));
        assertThat(allSuppressed.status()).isEqualTo(202);
        assertThat(server.mailroom().spool().read(allSuppressed.text("id"))).isEmpty();
        assertThat(server.get("/v1/messages/" + allSuppressed.text("id"), keyA).json().path("recipients").get(0).path("status").asText())
                .isEqualTo("suppressed");

        var events = eventsOf(id);
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactlyInAnyOrder("message.suppressed", "message.queued");
        var keyB = fixture.key(tenantB, "\"read\"", null);
        assertThat(server.get("/v1/suppressions", keyB).json().path("data")).isEmpty();
        assertThat(server.get("/v1/suppressions?email=gone@example.net", keyA).json().path("data")).hasSize(1);
        var suppressionId = added.text("id");
        assertThat(server.send("DELETE", "/v1/suppressions/" + suppressionId, fixture.key(tenantB, "\"manage\"", null), null).status()).isEqualTo(404);
        assertThat(server.send("DELETE", "/v1/suppressions/" + suppressionId, keyA, null).status()).isEqualTo(204);
    }

    private List<JsonNode> eventsOf(String id) {
        var result = new ArrayList<JsonNode>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            result.clear();
            server.get("/v1/events?message_id=" + id, keyA).json().path("data").forEach(result::add);
            if (!result.isEmpty()) {
                break;
            }
            Thread.onSpinWait();
        }
        return result;
    }

    @Test
    void anIdempotencyKeyGivesTheSameAnswerOnceAndRefusesAnotherRequest() {
        var body = message("x@tx.clienta.example", "ann@example.net", "");
        var first = withKey("order-42", body);
        var again = withKey("order-42", body);
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        var different = withKey("order-42", message("x@tx.clienta.example", "bob@example.net", ""));
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.text("detail")).contains("different request");
        var count = new int[1];
        server.mailroom().spool().acceptedSince("msg_", m -> count[0]++);
        assertThat(count[0]).isEqualTo(1);
    }

    private TestServer.Response withKey(String idempotencyKey, String body) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.mailroom().httpPort() + "/v1/messages"))
                    .header("Authorization", "Bearer " + keyA).header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new TestServer.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBatchIsAcceptedWholeOrRefusedWhole() {
        var good = message("x@tx.clienta.example", "a@example.net", "");
        var batch = server.post("/v1/messages/batch", keyA, "{\"messages\":[" + good + "," + message("x@news.clienta.example", "b@example.net", "") + "]}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(202);
        assertThat(batch.json().path("data")).hasSize(2);
        var before = spooledCount();
        var bad = server.post("/v1/messages/batch", keyA, "{\"messages\":[" + good + "," + message("x@b.clienta.example", "b@example.net", "") + "]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("messages[1].from");
        var invalid = server.post("/v1/messages/batch", keyA, "{\"messages\":[" + good + ",{\"from\":\"nobody\"}]}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("errors")).extracting(e -> e.path("field").asText()).contains("messages[1].from", "messages[1].to");
        assertThat(spooledCount()).isEqualTo(before);
        var tooMany = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 501; i++) {
            tooMany.append(i == 0 ? "" : ",").append(good);
        }
        assertThat(server.post("/v1/messages/batch", keyA, tooMany + "]}").status()).isEqualTo(422);
    }

    @Test
    void aScheduledMessageCanBeCancelledBeforeItsTime() {
        var sendAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        var scheduled = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net", ",\"send_at\":\"" + sendAt + "\""));
        assertThat(scheduled.status()).isEqualTo(202);
        var id = scheduled.text("id");
        assertThat(spooled(id).notBefore()).isEqualTo(sendAt);
        var cancelled = server.post("/v1/messages/" + id + "/cancel", keyA, null);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().path("recipients").get(0).path("status").asText()).isEqualTo("cancelled");
        assertThat(server.mailroom().spool().states(id)).containsExactly(RecipientState.CANCELLED);
        var now = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "ann@example.net", ""));
        assertThat(server.post("/v1/messages/" + now.text("id") + "/cancel", keyA, null).status()).isEqualTo(409);
    }

    @Test
    void capsRefuseWithWhenToRetry() {
        var patched = server.send("PATCH", "/v1/tenants/" + tenantA, ADMIN_KEY, "{\"hourly_cap\":2}");
        assertThat(patched.json().path("hourly_cap").asInt()).isEqualTo(2);
        assertThat(server.post("/v1/messages", keyA, message("x@tx.clienta.example", "a@example.net", "")).status()).isEqualTo(202);
        assertThat(server.post("/v1/messages", keyA, message("x@tx.clienta.example", "b@example.net", "")).status()).isEqualTo(202);
        var capped = server.post("/v1/messages", keyA, message("x@tx.clienta.example", "c@example.net", ""));
        assertThat(capped.status()).isEqualTo(429);
        assertThat(capped.text("detail")).contains("hourly sending cap of 2");
        server.restart();
        assertThat(server.post("/v1/messages", keyA, message("x@tx.clienta.example", "c@example.net", "")).status())
                .as("the count survives a restart").isEqualTo(429);
        server.send("PATCH", "/v1/tenants/" + tenantA, ADMIN_KEY, "{\"hourly_cap\":null}");
        server.restart();
        assertThat(server.post("/v1/messages", keyA, message("x@tx.clienta.example", "c@example.net", "")).status()).isEqualTo(202);
    }

    @Test
    void theCommandLineSendsThroughTheApi() {
        var out = new java.io.StringWriter();
        var commandLine = dev.mailroom.app.Main.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        int exit = commandLine.execute("send", "--url", "http://127.0.0.1:" + server.mailroom().httpPort(), "--key", keyA,
                "--from", "Shop <shop@tx.clienta.example>", "--to", "ann@example.net", "--subject", "From the CLI", "--text", "Hello");
        assertThat(exit).as(out.toString()).isZero();
        var id = out.toString().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertThat(spooled(id).recipients()).containsExactly("ann@example.net");
    }
}
