package dev.mailroom.reputation;

import static dev.mailroom.api.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.submission.SendingFixture;
import dev.mailroom.tenancy.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The onboarding life cycle on a clock the test moves: setup, warm-up, observation, established with a tier, each step dated. */
class OnboardingFlowTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private TestDatabase.Instance database;
    private SendingFixture fixture;

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
    void aTenantGoesFromSetupThroughWarmupAndObservationToEstablished() throws Exception {
        database = TestDatabase.H2.create();
        fixture = SendingFixture.start(dir, database, 0, Map.of("MAILROOM_REPUTATION_INTERVAL", "1d"), clock);
        var server = fixture.server();
        var tenant = fixture.createTenant("Client A");
        var engine = server.mailroom().reputation();

        engine.runOnce();
        assertThat(health(tenant).path("lifecycle").asText()).as("no verified domain yet").isEqualTo("setup");

        fixture.verifiedDomain(tenant, "tx.clienta.example", "transactional");
        engine.runOnce();
        var warming = health(tenant);
        assertThat(warming.path("lifecycle").asText()).isEqualTo("warmup");
        assertThat(warming.path("pool").path("tier").asText()).isEqualTo("starter");
        assertThat(warming.path("warmup").get(0).path("day").asInt()).isEqualTo(1);

        // the transactional ramp is seven days; on day eight nothing is capped
        clock.advance(Duration.ofDays(7).plusHours(1));
        engine.runOnce();
        assertThat(health(tenant).path("lifecycle").asText()).isEqualTo("observation");

        clock.advance(Duration.ofDays(29));
        engine.runOnce();
        assertThat(health(tenant).path("lifecycle").asText()).as("observed 29 of 30 days").isEqualTo("observation");

        clock.advance(Duration.ofDays(1).plusMinutes(1));
        engine.runOnce();
        var established = health(tenant);
        assertThat(established.path("lifecycle").asText()).isEqualTo("established");
        assertThat(established.path("tier").path("tier").asText()).as("no mail: nothing earns more than starter").isEqualTo("starter");
        var steps = new ArrayList<String>();
        established.path("lifecycle_history").forEach(step -> steps.add(step.path("state").asText()));
        assertThat(steps).containsExactly("setup", "warmup", "observation", "established");
        var history = established.path("lifecycle_history");
        assertThat(Instant.parse(history.get(3).path("entered_at").asText()))
                .isAfterOrEqualTo(Instant.parse(history.get(2).path("entered_at").asText()).plus(Duration.ofDays(30)));
        assertThat(history.get(3).path("note").asText()).startsWith("tier starter recommended");
        assertThat(established.path("rates").path("24h").path("rates").path("bounce_rate").isNull()).as("below the minimum volume").isTrue();
        assertThat(List.of("24h", "7d", "30d")).allSatisfy(window -> assertThat(established.path("rates").has(window)).isTrue());
    }

    private JsonNode health(String tenant) {
        var response = fixture.server().get("/v1/tenants/" + tenant + "/health", ADMIN_KEY);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
