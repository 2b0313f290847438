package dev.mailroom.delivery;

import dev.mailroom.Await;
import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.api.TestServer;
import dev.mailroom.smtp.SmtpSink;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery end to end: recipients resolve through a test zone (knotd) to Postfix's smtp-sink
 * listening on 127.0.0.x addresses; what the sinks saw and what the API reports are compared.
 */
class DeliveryTest {
    private static final String OK = "127.0.0.31";
    private static final String BAD = "127.0.0.32";
    private static final String BUSY = "127.0.0.33";
    private static final String GREY = "127.0.0.34";
    @TempDir
    Path dir;

    private TestDatabase.Instance database;
    private SendingFixture fixture;
    private TestServer server;
    private final List<SmtpSink> sinks = new ArrayList<>();
    private int port;
    private String tenant;
    private String key;

    @BeforeEach
    void checkPeers() {
        Assumptions.assumeTrue(SmtpSink.available(), "smtp-sink (Debian postfix) is not installed; .ci/run installs it");
    }

    private void start(Map<String, String> extraEnv) throws Exception {
        if (port == 0) {
            port = SmtpSink.freePort(OK, BAD, BUSY, GREY, "127.0.0.11", "127.0.0.12", "127.0.0.37", "127.0.0.38");
        }
        database = TestDatabase.H2.create();
        var env = new HashMap<String, String>();
        env.put("MAILROOM_DELIVERY_ENABLED", "true");
        env.put("MAILROOM_DELIVERY_MX_PORT", Integer.toString(port));
        env.put("MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1s");
        env.put("MAILROOM_DELIVERY_RETRY_MAX_DELAY", "2s");
        env.putAll(extraEnv);
        fixture = SendingFixture.start(dir, database, 0, env);
        server = fixture.server();
        tenant = fixture.createTenant("Client A");
        fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
        key = fixture.key(tenant, "\"send\",\"read\"", null);
        fixture.publishZoneLines(List.of(
                "inbox IN MX 10 mx.inbox", "mx.inbox IN A " + OK,
                "bad IN MX 10 mx.bad", "mx.bad IN A " + BAD,
                "busy IN MX 10 mx.busy", "mx.busy IN A " + BUSY,
                "grey IN MX 10 mx.grey", "mx.grey IN A " + GREY,
                "nomx IN MX 0 ."));
    }

    private SmtpSink sink(String address, String... options) throws Exception {
        var sink = SmtpSink.start(dir, address, port, options);
        sinks.add(sink);
        return sink;
    }

    @AfterEach
    void stop() throws Exception {
        sinks.forEach(SmtpSink::close);
        if (fixture != null) {
            fixture.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private String send(String from, String to) {
        var response = server.post("/v1/messages", key, "{\"from\":\"" + from + "\",\"to\":[\"" + to + "\"],\"subject\":\"Hello\",\"text\":\"Hi\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.text("id");
    }

    private JsonNode recipient(String messageId) {
        // path, not get: a poll that finds no recipient (yet) reads a missing node and polls again
        return server.get("/v1/messages/" + messageId, key).json().path("recipients").path(0);
    }

    private List<JsonNode> events(String messageId) {
        var list = new ArrayList<JsonNode>();
        server.get("/v1/events?message_id=" + messageId, ADMIN_KEY).json().path("data").forEach(list::add);
        return list;
    }

    private JsonNode event(String messageId, String type) {
        return events(messageId).stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + messageId + " in " + events(messageId)));
    }

    private void awaitStatus(String messageId, String status) throws InterruptedException {
        try {
            Await.until(messageId + " to be " + status, Duration.ofSeconds(30), () -> recipient(messageId).path("status").asText().equals(status));
        } catch (AssertionError e) {
            var spool = server.mailroom().spool();
            var unrecorded = new ArrayList<String>();
            spool.unrecorded(m -> unrecorded.add(m.id()));
            System.out.println("still not " + status + ": " + recipient(messageId) + ", unrecorded " + unrecorded + ", spool states " + spool.states(messageId) + " due "
                    + spool.queuedTenants().stream().map(t -> spool.due(t, System.currentTimeMillis(), 10, SpooledMessage.LOWEST_PRIORITY, (a, b) -> false)).toList());
            throw e;
        }
    }

    @Test
    void deliversBouncesUnknownMailboxesAndNullMxDomains() throws Exception {
        start(Map.of());
        var ok = sink(OK);
        sink(BAD, "-f", "rcpt", "-B", "550 5.1.1 <nobody@bad.clienta.example>: Recipient address rejected: User unknown");
        var delivered = send("news@tx.clienta.example", "ann@inbox.clienta.example");
        var unknown = send("news@tx.clienta.example", "nobody@bad.clienta.example");
        var nullMx = send("news@tx.clienta.example", "x@nomx.clienta.example");

        awaitStatus(delivered, "delivered");
        var transaction = ok.transactions().get(0);
        assertThat(transaction.rcptArgs()).containsExactly("<ann@inbox.clienta.example>");
        assertThat(transaction.mailArgs()).as("a VERP return path per recipient").matches("<b-" + delivered + "-0-[a-z0-9]+@rp\\.tx\\.clienta\\.example>.*");
        assertThat(transaction.helo()).isEqualTo("mx.test.example");
        assertThat(transaction.message()).contains("DKIM-Signature:").contains("Subject: Hello");
        var deliveredEvent = event(delivered, "message.delivered").path("data");
        assertThat(deliveredEvent.path("mx_host").asText()).isEqualTo("mx.inbox.clienta.example");
        assertThat(deliveredEvent.path("response").asText()).startsWith("250");
        assertThat(recipient(delivered).path("attempts").asInt()).isEqualTo(1);

        awaitStatus(unknown, "bounced");
        var bounce = event(unknown, "message.bounced").path("data");
        assertThat(bounce.path("bounce_type").asText()).isEqualTo("hard");
        assertThat(bounce.path("category").asText()).isEqualTo("bad_mailbox");
        assertThat(bounce.path("response").asText()).contains("550 5.1.1");
        assertThat(bounce.path("mx_host").asText()).isEqualTo("mx.bad.clienta.example");
        assertThat(recipient(unknown).path("last_response").asText()).contains("User unknown");
        Await.until("the unknown mailbox suppressed", Duration.ofSeconds(10),
                () -> server.get("/v1/suppressions?email=nobody@bad.clienta.example", ADMIN_KEY).json().path("data").size() == 1);
        var suppressed = server.get("/v1/suppressions?email=nobody@bad.clienta.example", ADMIN_KEY).json().path("data").get(0);
        assertThat(suppressed.path("reason").asText()).isEqualTo("hard_bounce");
        assertThat(suppressed.path("source_event_id").asText()).as("names the bounce").isEqualTo(event(unknown, "message.bounced").path("id").asText());

        awaitStatus(nullMx, "bounced");
        var nullBounce = event(nullMx, "message.bounced").path("data");
        assertThat(nullBounce.path("category").asText()).isEqualTo("bad_domain");
        assertThat(nullBounce.path("response").asText()).contains("null MX");
        assertThat(recipient(nullMx).path("attempts").asInt()).as("bounced at once").isEqualTo(1);
        Await.until("a null-MX recipient suppressed (bad_domain is about the recipient)", Duration.ofSeconds(10),
                () -> server.get("/v1/suppressions?email=x@nomx.clienta.example", ADMIN_KEY).json().path("data").size() == 1);
        var metrics = server.get("/metrics", null).body();
        assertThat(metrics).contains("mailroom_delivery_attempts_total{outcome=\"delivered\"} 1.0")
                .contains("mailroom_delivery_attempts_total{outcome=\"bounced\"} 2.0").contains("mailroom_delivery_held");
    }

    private String pool(String name, String address, String hostname) {
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"" + name + "\",\"tier\":\"standard\"}");
        assertThat(pool.status()).as(pool.body()).isEqualTo(201);
        var id = pool.text("id");
        var ip = server.post("/v1/pools/" + id + "/ips", ADMIN_KEY, "{\"address\":\"" + address + "\",\"hostname\":\"" + hostname + "\"}");
        assertThat(ip.status()).as(ip.body()).isEqualTo(201);
        return id;
    }

    private void assignPool(String tenantId, String poolId) {
        var response = server.send("PUT", "/v1/tenants/" + tenantId + "/pool", ADMIN_KEY, "{\"pool_id\":\"" + poolId + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @Test
    void eachPoolSendsFromItsOwnAddressWithItsOwnName() throws Exception {
        start(Map.of());
        var sink = sink(OK);
        var tenantB = fixture.createTenant("Client B");
        fixture.verifiedDomain(tenantB, "b.clienta.example", "transactional");
        var keyB = fixture.key(tenantB, "\"send\",\"read\"", null);
        assignPool(tenant, pool("pool-a", "127.0.0.11", "a.out.example"));
        assignPool(tenantB, pool("pool-b", "127.0.0.12", "b.out.example"));

        var fromA = send("news@tx.clienta.example", "from-a@inbox.clienta.example");
        var response = server.post("/v1/messages", keyB, "{\"from\":\"hi@b.clienta.example\",\"to\":[\"from-b@inbox.clienta.example\"],"
                + "\"subject\":\"Hello\",\"text\":\"Hi\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        awaitStatus(fromA, "delivered");
        Await.until("both messages at the sink", Duration.ofSeconds(30), () -> uncheckedCount(sink) == 2);

        var byRecipient = new HashMap<String, SmtpSink.Transaction>();
        for (var transaction : sink.transactions()) {
            byRecipient.put(transaction.rcptArgs().get(0), transaction);
        }
        var a = byRecipient.get("<from-a@inbox.clienta.example>");
        var b = byRecipient.get("<from-b@inbox.clienta.example>");
        assertThat(a.clientAddress()).isEqualTo("127.0.0.11");
        assertThat(a.helo()).isEqualTo("a.out.example");
        assertThat(b.clientAddress()).isEqualTo("127.0.0.12");
        assertThat(b.helo()).isEqualTo("b.out.example");
        assertThat(event(fromA, "message.delivered").path("data").path("source_ip").asText()).isEqualTo("127.0.0.11");
    }

    @Test
    void anotherTenantsBacklogDoesNotDelayAPasswordReset() throws Exception {
        start(Map.of());
        // the site takes one message per second per connection: tenant A's backlog would take hours to drain
        var sink = sink(OK, "-w", "1");
        fixture.verifiedDomain(tenant, "news.clienta.example", "marketing");
        var tenantB = fixture.createTenant("Client B");
        fixture.verifiedDomain(tenantB, "b.clienta.example", "transactional");
        var keyB = fixture.key(tenantB, "\"send\",\"read\"", null);

        int backlog = 50_000;
        for (int batch = 0; batch < backlog / 500; batch++) {
            var messages = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                messages.append(i == 0 ? "" : ",").append("{\"from\":\"news@news.clienta.example\",\"to\":[\"a").append(batch * 500 + i)
                        .append("@inbox.clienta.example\"],\"subject\":\"Sale\",\"text\":\"50% off\"}");
            }
            var response = server.post("/v1/messages/batch", key, "{\"messages\":[" + messages + "]}");
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            var response = server.post("/v1/messages", keyB, "{\"from\":\"reset@b.clienta.example\",\"to\":[\"b" + i
                    + "@inbox.clienta.example\"],\"subject\":\"Your password\",\"text\":\"Reset it\"}");
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
        Await.until("tenant B's 10 messages at the sink", Duration.ofSeconds(60), () -> fromB(sink) == 10);
        double seconds = (System.nanoTime() - start) / 1e9;
        int fromA = uncheckedCount(sink) - 10;
        System.out.printf("fairness: tenant B's 10 messages arrived %.1f s after sending, while %d of tenant A's %d were delivered%n",
                seconds, fromA, backlog);
        assertThat(fromA).as("A's backlog is far from drained").isLessThan(backlog / 10);
    }

    private static long fromB(SmtpSink sink) {
        try {
            return sink.transactions().stream().filter(t -> t.rcptArgs().get(0).startsWith("<b")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSmarthostPoolRelaysItsTenantsMailWhateverTheRecipientsDomain() throws Exception {
        start(Map.of());
        var relay = sink("127.0.0.37");
        var pool = server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"esp\",\"tier\":\"standard\",\"smarthost\":{\"host\":\"127.0.0.37\","
                + "\"port\":" + port + ",\"tls\":\"none\"}}");
        assertThat(pool.status()).as(pool.body()).isEqualTo(201);
        assertThat(server.send("PUT", "/v1/tenants/" + tenant + "/pool", ADMIN_KEY, "{\"pool_id\":\"" + pool.text("id") + "\"}").status()).isEqualTo(200);
        var id = send("news@tx.clienta.example", "someone@example.net"); // no MX lookup: the relay takes everything
        awaitStatus(id, "delivered");
        assertThat(relay.transactions().get(0).rcptArgs()).containsExactly("<someone@example.net>");
        assertThat(event(id, "message.delivered").path("data").path("mx_host").asText()).isEqualTo("127.0.0.37");
    }

    @Test
    void theInstallationSmarthostTakesEverything() throws Exception {
        port = SmtpSink.freePort("127.0.0.38");
        start(Map.of("MAILROOM_DELIVERY_SMARTHOST", "127.0.0.38:" + port));
        var relay = sink("127.0.0.38");
        var id = send("news@tx.clienta.example", "ann@inbox.clienta.example");
        awaitStatus(id, "delivered");
        assertThat(relay.transactions().get(0).rcptArgs()).containsExactly("<ann@inbox.clienta.example>");
    }

    @Test
    void aProviderRuleThatRequiresTlsKeepsMailFromASiteWithoutIt() throws Exception {
        start(Map.of("MAILROOM_DELIVERY_PROVIDERS", "strict mx=inbox.clienta.example tls=require"));
        var plain = sink(OK); // smtp-sink offers no STARTTLS
        var id = send("news@tx.clienta.example", "ann@inbox.clienta.example");
        awaitStatus(id, "deferred");
        assertThat(event(id, "message.deferred").path("data").path("category").asText()).isEqualTo("tls");
        assertThat(plain.transactions()).isEmpty();
    }

    @Test
    void aScheduledMessageLeavesAtItsTime() throws Exception {
        start(Map.of());
        var sink = sink(OK);
        var sendAt = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var response = server.post("/v1/messages", key, "{\"from\":\"news@tx.clienta.example\",\"to\":[\"later@inbox.clienta.example\"],"
                + "\"subject\":\"Reminder\",\"text\":\"Tomorrow\",\"send_at\":\"" + sendAt + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        var id = response.text("id");
        awaitStatus(id, "delivered");
        var deliveredAt = Instant.parse(event(id, "message.delivered").path("data").path("attempted_at").asText());
        assertThat(deliveredAt).isAfterOrEqualTo(sendAt).isBefore(sendAt.plusSeconds(3));
        assertThat(sink.transactions()).hasSize(1);
    }

    @Test
    void aTemporaryFailureIsRetriedThenDelivered() throws Exception {
        start(Map.of());
        var refusing = sink(GREY, "-r", "rcpt", "-b", "451 4.3.0 Temporary local problem, please try again");
        var id = send("news@tx.clienta.example", "later@grey.clienta.example");
        awaitStatus(id, "deferred");
        var deferred = event(id, "message.deferred").path("data");
        assertThat(deferred.path("response").asText()).contains("451 4.3.0");
        assertThat(deferred.path("next_attempt_at").asText()).isNotEmpty();
        refusing.close();
        sinks.remove(refusing);
        var accepting = sink(GREY);
        awaitStatus(id, "delivered");
        assertThat(accepting.transactions()).hasSize(1);
        assertThat(recipient(id).path("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void softFailuresFailOnceTheMessageIsTooOldAndMissingDomainsBounceAfterSomeAttempts() throws Exception {
        start(Map.of("MAILROOM_DELIVERY_RETRY_MAX_AGE", "5s"));
        sink(GREY, "-r", "rcpt", "-b", "452 4.2.2 Mailbox full");
        var full = send("news@tx.clienta.example", "full@grey.clienta.example");
        var missing = send("news@tx.clienta.example", "x@missing.clienta.example");

        awaitStatus(full, "failed");
        var failed = event(full, "message.failed").path("data");
        assertThat(failed.path("category").asText()).isEqualTo("mailbox_full");
        assertThat(failed.path("response").asText()).contains("452 4.2.2");
        assertThat(events(full).stream().filter(e -> e.path("type").asText().equals("message.deferred")).count()).isPositive();

        awaitStatus(missing, "bounced");
        var bounce = event(missing, "message.bounced").path("data");
        assertThat(bounce.path("category").asText()).isEqualTo("bad_domain");
        assertThat(bounce.path("response").asText()).contains("does not exist");
        assertThat(recipient(missing).path("attempts").asInt()).as("delivery.no_route_attempts").isEqualTo(3);
    }

    @Test
    void a421StormPutsTheSiteInBackOffAndTheRateDrops() throws Exception {
        start(Map.of("MAILROOM_DELIVERY_BACKOFF_RATE", "10/s", "MAILROOM_DELIVERY_RETRY_FIRST_DELAY", "1h", "MAILROOM_DELIVERY_RETRY_MAX_DELAY", "1h"));
        var normal = sink(BUSY);
        var before = new ArrayList<String>();
        for (int i = 0; i < 200; i++) {
            before.add(send("news@tx.clienta.example", "n" + i + "@busy.clienta.example"));
        }
        Await.until("200 deliveries", Duration.ofSeconds(60), () -> uncheckedCount(normal) == 200);
        double normalRate = ratePerSecond(before, "message.delivered");

        normal.close();
        sinks.remove(normal);
        sink(BUSY, "-Q", "mail");
        var during = new ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            during.add(send("news@tx.clienta.example", "s" + i + "@busy.clienta.example"));
        }
        Thread.sleep(4000);
        var deferredAt = new ArrayList<Instant>();
        for (var id : during) {
            events(id).stream().filter(e -> e.path("type").asText().equals("message.deferred"))
                    .forEach(e -> deferredAt.add(Instant.parse(e.path("data").path("attempted_at").asText())));
        }
        deferredAt.sort(null);
        assertThat(deferredAt).as("the site refused with 421").isNotEmpty();
        // after the first burst of 421s, attempts come at the back-off pace: 10/s, then halved each second
        var settled = deferredAt.get(0).plusSeconds(1);
        long later = deferredAt.stream().filter(at -> at.isAfter(settled)).count();
        double backoffRate = later / 3.0;
        System.out.printf("421 storm: %.0f deliveries/s before, %d attempts in the first second of 421s, %.1f attempts/s after%n",
                normalRate, deferredAt.size() - later, backoffRate);
        assertThat(backoffRate).isLessThan(normalRate / 5).isLessThanOrEqualTo(10);
        assertThat(deferredAt.size()).as("most messages wait in the queue instead of meeting the 421 one by one").isLessThan(60);
    }

    private double ratePerSecond(List<String> ids, String type) {
        var times = new ArrayList<Instant>();
        for (var id : ids) {
            times.add(Instant.parse(event(id, type).path("data").path("attempted_at").asText()));
        }
        times.sort(null);
        double seconds = Math.max(0.001, Duration.between(times.get(0), times.get(times.size() - 1)).toMillis() / 1000.0);
        return ids.size() / seconds;
    }

    private static int uncheckedCount(SmtpSink sink) {
        try {
            return sink.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
