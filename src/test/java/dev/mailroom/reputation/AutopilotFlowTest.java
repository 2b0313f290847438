package dev.mailroom.reputation;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.Await;
import dev.mailroom.api.TestServer;
import dev.mailroom.events.webhooks.WebhookReceiver;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import dev.mailroom.tenancy.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autopilot end to end, on a clock the test moves: tenant A's mail is really delivered (to
 * smtp-sink) and bounced (by another), complaints come back as ARF reports to the inbound MX, and
 * with the default thresholds its rates climb through alert, throttle, isolation and pause, each
 * announced to the agency's and A's webhooks, while tenant B's mail leaves from its own pool
 * unaffected. Resuming A releases the mail held while it was paused.
 */
class AutopilotFlowTest {
    private static final String INBOX = "127.0.0.31";
    private static final String BAD = "127.0.0.32";
    private static final String POOL_B = "127.0.0.12";
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private final List<SmtpSink> sinks = new ArrayList<>();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void checkPeers() {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed; .ci/run installs it");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed; .ci/run installs it");
    }

    @AfterEach
    void stop() throws Exception {
        receivers.forEach(WebhookReceiver::close);
        sinks.forEach(SmtpSink::close);
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void ratesClimbThroughAlertThrottleIsolationAndPauseWhileAnotherTenantFlows() throws Exception {
        int port = SmtpSink.freePort(INBOX, BAD, POOL_B);
        database = TestDatabase.H2.create();
        var env = new HashMap<String, String>();
        env.put("MAILROOM_DELIVERY_ENABLED", "true");
        env.put("MAILROOM_DELIVERY_MX_PORT", Integer.toString(port));
        env.put("MAILROOM_WEBHOOKS_ALLOW_PRIVATE", "true");
        env.put("MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1s");
        env.put("MAILROOM_DELIVERY_RETRY_MAX_DELAY", "2s");
        // the test runs the engine itself, at the moments it chooses
        env.put("MAILROOM_REPUTATION_INTERVAL", "1d");
        fixture = SendingFixture.start(dir, database, 0, env, clock);
        server = fixture.server();
        fixture.publishZoneLines(List.of("inbox IN MX 10 mx.inbox", "mx.inbox IN A " + INBOX, "bad IN MX 10 mx.bad", "mx.bad IN A " + BAD));
        var inbox = SmtpSink.start(dir, INBOX, port);
        sinks.add(inbox);
        sinks.add(SmtpSink.start(dir, BAD, port, "-f", "rcpt", "-B", "550 5.1.1 Recipient address rejected: User unknown"));

        var a = fixture.createTenant("Client A");
        fixture.verifiedDomain(a, "news.clienta.example", "marketing");
        var keyA = fixture.key(a, "\"send\",\"read\"", null);
        var b = fixture.createTenant("Client B");
        fixture.verifiedDomain(b, "b.clienta.example", "transactional");
        var keyB = fixture.key(b, "\"send\",\"read\"", null);
        var poolB = createPool("pool-b", POOL_B, "b.out.example");
        assertThat(server.send("PUT", "/v1/tenants/" + b + "/pool", ADMIN_KEY, "{\"pool_id\":\"" + poolB + "\"}").status()).isEqualTo(200);
        var agencyHooks = receiver(null);
        var tenantHooks = receiver(a);

        // A: 1,000 delivered and 25 hard bounces (2.4 %: over the 2 % warning, under the 5 % critical)
        var delivered = new ArrayList<String>();
        for (int batch = 0; batch < 10; batch++) {
            delivered.addAll(sendBatch(keyA, "news@news.clienta.example", "inbox.clienta.example", batch * 100, 100));
        }
        sendBatch(keyA, "news@news.clienta.example", "bad.clienta.example", 0, 25);
        var fromB = sendBatch(keyB, "hi@b.clienta.example", "inbox.clienta.example", 5000, 10);
        Await.until("A's 1,000 delivered and 25 bounced", Duration.ofSeconds(60), () -> {
            clock.advance(Duration.ofSeconds(1)); // a retry after a deferral falls due
            return count(a, "message.delivered") == 1000 && count(a, "message.bounced") == 25;
        });

        judge();
        assertThat(openAlerts(a)).containsExactly("bounce_rate:warning");
        assertThat(status(a)).isEqualTo("active");

        // two complaints in 1,000 deliveries: 0.2 %, at the warning line's edge (over 0.1 %, not over 0.2 %)
        complain(delivered.subList(0, 2));
        judge();
        assertThat(openAlerts(a)).containsExactlyInAnyOrder("bounce_rate:warning", "complaint_rate:warning");
        assertThat(status(a)).isEqualTo("active");

        // a third: 0.3 %, critical: throttled and moved to isolation
        complain(delivered.subList(2, 3));
        judge();
        assertThat(openAlerts(a)).contains("complaint_rate:critical");
        var tenantA = server.get("/v1/tenants/" + a, ADMIN_KEY).json();
        assertThat(tenantA.path("status").asText()).isEqualTo("throttled");
        assertThat(tenantA.path("pool").asText()).isEqualTo("pool_isolation");

        // a message for later, queued before the pause
        var later = send(keyA, "news@news.clienta.example", "later@inbox.clienta.example", clock.instant().plus(Duration.ofMinutes(30)));
        // three more: 0.6 %, over the 0.5 % pause line
        complain(delivered.subList(3, 6));
        judge();
        assertThat(status(a)).isEqualTo("paused");
        var refused = server.post("/v1/messages", keyA, message("news@news.clienta.example", "x@inbox.clienta.example", null));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("detail")).contains("complaint rate 0.60% is above 0.50%");

        // the events, in order, each with its reason
        var actions = events(a).stream().filter(event -> event.path("type").asText().startsWith("tenant.")
                || event.path("type").asText().startsWith("alert.")).toList();
        assertThat(actions).extracting(event -> event.path("type").asText() + kindOf(event)).containsExactly(
                "alert.raised bounce_rate warning", "alert.raised complaint_rate warning", "alert.raised complaint_rate critical",
                "tenant.throttled", "tenant.pool_changed", "tenant.paused");
        assertThat(actions.get(3).path("data").path("reason").asText()).startsWith("complaint rate 0.30% is past 0.20%").contains("slowed to");
        assertThat(actions.get(4).path("data").path("to").asText()).isEqualTo("pool_isolation");
        assertThat(actions.get(4).path("data").path("automatic").asBoolean()).isTrue();
        assertThat(actions.get(5).path("data").path("automatic").asBoolean()).isTrue();
        // webhooks carry each event once, not necessarily in order (the event log keeps the order)
        var expected = List.of("alert.raised", "tenant.throttled", "tenant.pool_changed", "tenant.paused");
        for (var hooks : List.of(agencyHooks, tenantHooks)) {
            Await.until("the webhooks", Duration.ofSeconds(20), () -> types(hooks).containsAll(expected)
                    && types(hooks).stream().filter(type -> type.equals("alert.raised")).count() >= 3);
            assertThat(hooks.requests()).allSatisfy(request -> assertThat(request.signatureValid()).isTrue());
        }
        // the agency hears about its pools too: A dragged the starter pool over the bounce warning, and is named
        var poolAlerts = server.get("/v1/alerts?kind=bounce_rate&state=open", ADMIN_KEY).json().path("data");
        assertThat(poolAlerts).anySatisfy(alert -> {
            assertThat(alert.path("subject_kind").asText()).isEqualTo("pool");
            assertThat(alert.path("tenant_id").isNull()).isTrue();
            assertThat(alert.path("data").path("worst_tenant_id").asText()).isEqualTo(a);
        });
        assertThat(server.get("/v1/alerts?kind=bounce_rate", keyA).json().path("data")).as("a tenant never sees the agency's alerts")
                .allSatisfy(alert -> assertThat(alert.path("subject_kind").asText()).isEqualTo("tenant"));

        // B never noticed: its own pool and address, active, delivering
        awaitDelivered(keyB, fromB);
        var moreFromB = send(keyB, "hi@b.clienta.example", "after@inbox.clienta.example", null);
        awaitDelivered(keyB, List.of(moreFromB));
        var tenantB = server.get("/v1/tenants/" + b, ADMIN_KEY).json();
        assertThat(tenantB.path("status").asText()).isEqualTo("active");
        assertThat(tenantB.path("pool").asText()).isEqualTo(poolB);
        assertThat(inbox.transactions()).filteredOn(t -> t.rcptArgs().contains("<after@inbox.clienta.example>"))
                .singleElement().satisfies(t -> assertThat(t.clientAddress()).isEqualTo(POOL_B));
        assertThat(server.get("/v1/alerts?tenant_id=" + b, ADMIN_KEY).json().path("data")).isEmpty();

        // A's later message falls due while paused: held, not sent, not dropped
        clock.advance(Duration.ofHours(1));
        Thread.sleep(2500);
        assertThat(status(keyA, later)).isEqualTo("queued");
        assertThat(inbox.transactions()).noneMatch(t -> t.rcptArgs().contains("<later@inbox.clienta.example>"));

        // resumed by hand: the held mail goes, the undo is recorded, and old mail does not pause it again
        var resumed = server.post("/v1/tenants/" + a + "/resume", ADMIN_KEY, "{}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        awaitDelivered(keyA, List.of(later));
        judge();
        assertThat(status(a)).isEqualTo("active");
        var health = server.get("/v1/tenants/" + a + "/health", keyA).json();
        assertThat(health.path("actions")).extracting(action -> action.path("action").asText())
                .containsExactly("pause", "isolate", "throttle");
        assertThat(health.path("actions").get(0).path("undone_at").isNull()).as("pause undone").isFalse();
        assertThat(health.path("actions").get(1).path("undone_at").isNull()).as("still isolated").isTrue();
        assertThat(health.path("pool").path("tier").asText()).isEqualTo("isolation");
        assertThat(health.path("rates").path("30d").path("counts").path("complained").asLong()).isEqualTo(6);
    }

    /** Waits for messages to be delivered, moving the clock on so that a retry (after a deferral) falls due. */
    private void awaitDelivered(String key, List<String> messageIds) throws InterruptedException {
        try {
            Await.until("delivered: " + messageIds, Duration.ofSeconds(30), () -> {
                clock.advance(Duration.ofSeconds(5));
                return messageIds.stream().allMatch(id -> status(key, id).equals("delivered"));
            });
        } catch (AssertionError e) {
            messageIds.forEach(id -> System.out.println(id + ": " + server.get("/v1/messages/" + id, key).json().path("recipients")));
            throw e;
        }
    }

    /** Lets the roll-up see everything so far (past its late-commit margin), then runs the engine once. */
    private void judge() {
        clock.advance(Duration.ofMinutes(2));
        server.mailroom().statsRollup().catchUp();
        server.mailroom().reputation().runOnce();
    }

    private String createPool(String name, String address, String hostname) {
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"" + name + "\",\"tier\":\"standard\"}");
        assertThat(pool.status()).as(pool.body()).isEqualTo(201);
        var ip = server.post("/v1/pools/" + pool.text("id") + "/ips", ADMIN_KEY, "{\"address\":\"" + address + "\",\"hostname\":\"" + hostname + "\"}");
        assertThat(ip.status()).as(ip.body()).isEqualTo(201);
        return pool.text("id");
    }

    private WebhookReceiver receiver(String tenantId) {
        var receiver = new WebhookReceiver();
        receivers.add(receiver);
        var body = tenantId == null ? "{\"url\":\"" + receiver.url() + "\"}" : "{\"tenant_id\":\"" + tenantId + "\",\"url\":\"" + receiver.url() + "\"}";
        var created = server.post("/v1/webhooks", ADMIN_KEY, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        receiver.secret(created.text("secret"));
        return receiver;
    }

    private static List<String> types(WebhookReceiver receiver) {
        return receiver.requests().stream().map(WebhookReceiver.Request::type)
                .filter(type -> type.startsWith("tenant.throttled") || type.startsWith("tenant.p") || type.startsWith("alert.")).toList();
    }

    private static String message(String from, String to, Instant sendAt) {
        return "{\"from\":\"" + from + "\",\"to\":[\"" + to + "\"],\"subject\":\"News\",\"text\":\"Hello\""
                + (sendAt == null ? "" : ",\"send_at\":\"" + sendAt + "\"") + "}";
    }

    private String send(String key, String from, String to, Instant sendAt) {
        var response = server.post("/v1/messages", key, message(from, to, sendAt));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("id");
    }

    private List<String> sendBatch(String key, String from, String domain, int first, int count) {
        var messages = new ArrayList<String>();
        for (int i = first; i < first + count; i++) {
            messages.add(message(from, "r" + i + "@" + domain, null));
        }
        var response = server.post("/v1/messages/batch", key, "{\"messages\":[" + String.join(",", messages) + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var ids = new ArrayList<String>();
        response.json().path("data").forEach(result -> ids.add(result.path("id").asText()));
        return ids;
    }

    /** ARF abuse reports about these messages, as a mailbox provider's feedback loop sends them. */
    private void complain(List<String> messageIds) throws Exception {
        for (var id : messageIds) {
            var returnPath = server.mailroom().verp().returnPath(id, 0, "rp.news.clienta.example");
            var arf = """
                    From: <fbl@receiver.example>
                    To: <fbl@mailroom.localhost>
                    Subject: complaint
                    MIME-Version: 1.0
                    Content-Type: multipart/report; report-type=feedback-report; boundary="part"

                    --part
                    Content-Type: text/plain

                    An abuse report.

                    --part
                    Content-Type: message/feedback-report

                    Feedback-Type: abuse
                    User-Agent: ReceiverFBL/1.0
                    Version: 1
                    Original-Mail-From: <%s>
                    Source-IP: 192.0.2.25

                    --part
                    Content-Type: message/rfc822

                    Return-Path: <%s>
                    From: news@news.clienta.example
                    Message-ID: <%s@news.clienta.example>
                    Subject: News

                    Hello
                    --part--
                    """.formatted(returnPath, returnPath, id).replace("\n", "\r\n");
            var file = Files.writeString(dir.resolve("arf-" + id + ".eml"), arf);
            var process = new ProcessBuilder("swaks", "--server", "127.0.0.1:" + server.mailroom().inboundPort(), "--from", "fbl@receiver.example",
                    "--to", "fbl@mailroom.localhost", "--helo", "mx.receiver.example", "--data", "@" + file).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("250 2.0.0");
        }
    }

    private List<JsonNode> events(String tenantId) {
        var all = new ArrayList<JsonNode>();
        String cursor = null;
        do {
            var page = server.get("/v1/events?tenant_id=" + tenantId + "&limit=500" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_KEY).json();
            page.path("data").forEach(all::add);
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        } while (cursor != null);
        return all;
    }

    private long count(String tenantId, String type) {
        return events(tenantId).stream().filter(event -> event.path("type").asText().equals(type)).count();
    }

    private static String kindOf(JsonNode event) {
        var data = event.path("data");
        return data.has("kind") ? " " + data.path("kind").asText() + " " + data.path("severity").asText() : "";
    }

    private List<String> openAlerts(String tenantId) {
        var list = new ArrayList<String>();
        server.get("/v1/alerts?tenant_id=" + tenantId + "&state=open", ADMIN_KEY).json().path("data")
                .forEach(alert -> list.add(alert.path("kind").asText() + ":" + alert.path("severity").asText()));
        return list;
    }

    private String status(String tenantId) {
        return server.get("/v1/tenants/" + tenantId, ADMIN_KEY).json().path("status").asText();
    }

    private String status(String key, String messageId) {
        return server.get("/v1/messages/" + messageId, key).json().path("recipients").path(0).path("status").asText();
    }
}
