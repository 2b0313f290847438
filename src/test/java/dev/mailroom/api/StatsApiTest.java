package dev.mailroom.api;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Database;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** GET /v1/stats and /v1/usage over HTTP: series and totals with rates, each tenant's own figures only, bad parameters named. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class StatsApiTest {
    private static final String POOL_IP = "192.0.2.20";

    @Parameter
    TestDatabase kind;

    @TempDir
    Path dataDir;

    private TestDatabase.Instance database;
    private TestServer server;
    private Database writer;
    /** Three hours ago, ten minutes into the hour: events written then are well past the roll-up's margin. */
    private final Instant then = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3)).plus(Duration.ofMinutes(10));
    private String tenantA;
    private String tenantB;
    private String domainB;
    private String poolId;

    @BeforeEach
    void start() {
        database = kind.create();
        server = TestServer.start(dataDir, database);
        writer = database.open();
        tenantA = created(server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"A\"}")).text("id");
        tenantB = created(server.post("/v1/tenants", ADMIN_KEY, "{\"name\":\"B\"}")).text("id");
        domainB = created(server.post("/v1/domains", ADMIN_KEY, "{\"tenant_id\":\"" + tenantB + "\",\"name\":\"news.clientb.example\"}")).text("id");
        poolId = created(server.post("/v1/pools", ADMIN_KEY, "{\"name\":\"dedicated\",\"tier\":\"premium\"}")).text("id");
        created(server.post("/v1/pools/" + poolId + "/ips", ADMIN_KEY, "{\"address\":\"" + POOL_IP + "\",\"hostname\":\"mta.example.net\"}"));
    }

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private static TestServer.Response created(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static JsonNode ok(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String key(String tenantId) {
        return created(server.post("/v1/api-keys", ADMIN_KEY, "{\"tenant_id\":\"" + tenantId + "\",\"permissions\":[\"read\"]}")).text("key");
    }

    /**
     * Writes a tenant's events as delivery writes them, at {@code at}. Ids are made from the time,
     * and the server's own roll-up may fold what is written at any moment, so each call writes
     * later than the one before: an event behind what was folded would be a commit later than
     * the margin allows.
     */
    private void history(String tenant, String domain, Instant at, int sent, int delivered, int hardBounced, int complained) {
        var clock = new MutableClock(at);
        var events = new EventLog(writer.jdbi(), new Ids(clock), clock);
        var batch = new ArrayList<EventLog.NewEvent>();
        for (int i = 0; i < sent; i++) {
            var type = i < delivered ? "message.delivered" : i < delivered + hardBounced ? "message.bounced" : null;
            var data = new HashMap<String, Object>(Map.of("message_id", "msg_" + i, "email", "r" + i + "@gmail.com", "domain_id", domain));
            batch.add(new EventLog.NewEvent(tenant, "message.queued", "msg_" + i, data));
            if (type != null) {
                var delivery = new HashMap<>(data);
                delivery.put("mx_host", "gmail-smtp-in.l.google.com");
                delivery.put("source_ip", POOL_IP);
                batch.add(new EventLog.NewEvent(tenant, type, "msg_" + i, delivery));
            }
            if (i < complained) {
                batch.add(new EventLog.NewEvent(tenant, "message.complained", "msg_" + i, data));
            }
        }
        writer.jdbi().useTransaction(h -> events.appendAll(h, batch));
    }

    private void fold() {
        server.mailroom().statsRollup().catchUp();
    }

    private static List<String> fields(TestServer.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.contentType()).startsWith(Problem.CONTENT_TYPE);
        var fields = new ArrayList<String>();
        response.json().path("errors").forEach(error -> fields.add(error.path("field").asText()));
        return fields;
    }

    @Test
    void aSeriesOfHoursWithTotalsAndRates() {
        history(tenantA, "dom_a", then, 200, 180, 10, 2);
        history(tenantA, "dom_a", then.plus(Duration.ofHours(1)), 50, 50, 0, 0);
        fold();

        var body = ok(server.get("/v1/stats?tenant_id=" + tenantA, ADMIN_KEY));
        assertThat(body.path("interval").asText()).isEqualTo("hour");
        var data = body.path("data");
        assertThat(data).hasSize(25); // the hour holding now-24h up to now
        var hour = then.truncatedTo(ChronoUnit.HOURS).toString();
        var first = java.util.stream.StreamSupport.stream(data.spliterator(), false).filter(p -> p.path("start").asText().equals(hour))
                .findFirst().orElseThrow();
        assertThat(first.path("sent").asLong()).isEqualTo(200);
        assertThat(first.path("delivered").asLong()).isEqualTo(180);
        assertThat(first.path("hard_bounced").asLong()).isEqualTo(10);
        var totals = body.path("totals");
        assertThat(totals.path("sent").asLong()).isEqualTo(250);
        assertThat(totals.path("delivered").asLong()).isEqualTo(230);
        assertThat(totals.path("complained").asLong()).isEqualTo(2);
        // bounce rates are over the 240 that reached an outcome (230 delivered, 10 bounced), not the 250 queued
        assertThat(totals.path("bounce_rate").asDouble()).isEqualTo(10.0 / 240);
        assertThat(totals.path("hard_bounce_rate").asDouble()).isEqualTo(10.0 / 240);
        assertThat(totals.path("complaint_rate").asDouble()).isEqualTo(2.0 / 230);
        assertThat(totals.path("delivery_rate").asDouble()).isEqualTo(230.0 / 240);

        // by minute within the hour: below the minimum volume, a rate is null
        var minutes = ok(server.get("/v1/stats?tenant_id=" + tenantA + "&interval=minute&from=" + then.plus(Duration.ofHours(1))
                + "&to=" + then.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(5)), ADMIN_KEY));
        assertThat(minutes.path("data")).hasSize(5);
        assertThat(minutes.path("data").get(0).path("sent").asLong()).isEqualTo(50);
        assertThat(minutes.path("totals").path("bounce_rate").isNull()).isTrue();
        // the pool of the sending address holds the delivery events, whoever's they are
        var pooled = ok(server.get("/v1/stats?pool_id=" + poolId + "&provider=gmail&interval=day", ADMIN_KEY)).path("totals");
        assertThat(pooled.path("delivered").asLong()).isEqualTo(230);
        assertThat(pooled.path("sent").asLong()).as("queued mail has no address yet: the tenant's pool").isZero();
        assertThat(ok(server.get("/v1/stats?source_ip=" + POOL_IP, ADMIN_KEY)).path("totals").path("hard_bounced").asLong()).isEqualTo(10);
    }

    @Test
    void aTenantKeySeesOnlyItsOwnTenant() {
        history(tenantA, "dom_a", then, 20, 20, 0, 0);
        history(tenantB, domainB, then.plus(Duration.ofMinutes(1)), 7, 7, 0, 0);
        fold();
        var keyA = key(tenantA);

        assertThat(ok(server.get("/v1/stats", keyA)).path("totals").path("sent").asLong()).isEqualTo(20);
        assertThat(ok(server.get("/v1/stats", ADMIN_KEY)).path("totals").path("sent").asLong()).isEqualTo(27);
        assertThat(ok(server.get("/v1/stats?pool_id=" + poolId, keyA)).path("totals").path("delivered").asLong())
                .as("a pool's figures within the tenant only").isEqualTo(20);
        assertThat(server.get("/v1/stats?tenant_id=" + tenantB, keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/stats?domain_id=" + domainB, keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/stats?tenant_id=" + tenantA + "&domain_id=" + domainB, ADMIN_KEY).status()).isEqualTo(404);
        assertThat(ok(server.get("/v1/stats?domain_id=" + domainB, ADMIN_KEY)).path("totals").path("sent").asLong()).isEqualTo(7);
        assertThat(server.get("/v1/usage?tenant_id=" + tenantB, keyA).status()).isEqualTo(404);
        assertThat(server.get("/v1/stats", null).status()).isEqualTo(401);
    }

    @Test
    void badParametersAreNamed() {
        assertThat(fields(server.get("/v1/stats?interval=week", ADMIN_KEY))).containsExactly("interval");
        assertThat(fields(server.get("/v1/stats?from=yesterday&provider=hotmail", ADMIN_KEY))).containsExactlyInAnyOrder("from", "provider");
        assertThat(fields(server.get("/v1/stats?source_ip=mta.example.net", ADMIN_KEY))).containsExactly("source_ip");
        var now = Instant.now();
        assertThat(fields(server.get("/v1/stats?from=" + now + "&to=" + now.minus(Duration.ofHours(1)), ADMIN_KEY))).containsExactly("from");
        assertThat(fields(server.get("/v1/stats?interval=minute&from=" + now.minus(Duration.ofHours(49)), ADMIN_KEY))).containsExactly("from");
        assertThat(fields(server.get("/v1/stats?interval=hour&from=" + now.minus(Duration.ofDays(32)), ADMIN_KEY))).containsExactly("from");
        assertThat(fields(server.get("/v1/usage?month=2026-13", ADMIN_KEY))).containsExactly("month");
    }

    @Test
    void usageCountsAMonthPerTenant() {
        history(tenantA, "dom_a", then, 30, 25, 5, 0);
        history(tenantB, domainB, then.plus(Duration.ofMinutes(1)), 4, 4, 0, 0);
        fold();
        var month = YearMonth.from(then.atZone(ZoneOffset.UTC));

        var all = ok(server.get("/v1/usage?month=" + month, ADMIN_KEY));
        assertThat(all.path("month").asText()).isEqualTo(month.toString());
        var byTenant = new HashMap<String, JsonNode>();
        all.path("data").forEach(row -> byTenant.put(row.path("tenant_id").asText(), row));
        assertThat(byTenant).containsOnlyKeys(tenantA, tenantB);
        assertThat(byTenant.get(tenantA).path("sent").asLong()).isEqualTo(30);
        assertThat(byTenant.get(tenantA).path("hard_bounced").asLong()).isEqualTo(5);

        var own = ok(server.get("/v1/usage", key(tenantB))).path("data");
        assertThat(own).hasSize(1);
        assertThat(own.get(0).path("delivered").asLong()).isEqualTo(4);
        var earlier = ok(server.get("/v1/usage?month=2020-01", key(tenantB))).path("data");
        assertThat(earlier.get(0).path("sent").asLong()).as("a month without mail is a row of zeros").isZero();
    }
}
