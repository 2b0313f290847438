package dev.mailroom.events.webhooks;

import dev.mailroom.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.MutableClock;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenancyFixture;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Webhook delivery against receivers on this machine: signatures, retries, filters, isolation, disabling, replays, restarts. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration TICK = Duration.ofMillis(20);
    private static final List<Duration> FAST_RETRIES = Collections.nCopies(4, Duration.ofMillis(100));
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private Clock clock;
    private Webhooks webhooks;
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (webhooks != null) {
            webhooks.close();
        }
        receivers.forEach(WebhookReceiver::close);
        if (fixture != null) {
            fixture.close();
        }
    }

    private void open(Clock clock) {
        this.clock = clock;
        fixture = new TenancyFixture(kind, clock);
    }

    private void start(Destinations destinations, List<Duration> retries, Duration timeout) {
        var settings = new Webhooks.Settings(destinations, new WebhookSchedule(retries, new Random(1)), timeout, TICK);
        webhooks = Webhooks.start(settings, fixture.database.jdbi(), new Ids(clock), fixture.events, fixture.sealer,
                tenant -> fixture.tenantRepository.find(Scope.AGENCY, tenant).isPresent(), clock);
    }

    private void start(List<Duration> retries) {
        start(new Destinations(true, InetAddress::getAllByName), retries, Duration.ofSeconds(5));
    }

    private String tenant(String name) {
        return fixture.tenants.create(name, Map.of()).id();
    }

    private WebhookReceiver receiver() {
        var receiver = new WebhookReceiver();
        receivers.add(receiver);
        return receiver;
    }

    /** An endpoint for the receiver, made through the service as the API does, with the receiver told its secret. */
    private Webhook subscribe(WebhookReceiver receiver, String tenantId, String... types) {
        var created = webhooks.service().create(Scope.AGENCY, tenantId, receiver.url(), List.of(types));
        receiver.secret(created.secret());
        return created.webhook();
    }

    private Event append(EventLog log, String tenantId, String type, int n) {
        return fixture.database.jdbi().inTransaction(h -> log.append(h, tenantId, type, tenantId, Map.of("n", n)));
    }

    private Event append(String tenantId, String type, int n) {
        return append(fixture.events, tenantId, type, n);
    }

    private List<WebhookDelivery> deliveries(Webhook webhook) {
        return webhooks.service().deliveries(Scope.AGENCY, webhook.id(), null, null, 500).data();
    }

    @Test
    void failedAttemptsAreRetriedAndEachEventIsDeliveredOnceWithAValidSignature() throws Exception {
        open(Clock.systemUTC());
        start(FAST_RETRIES);
        var tenant = tenant("A");
        var receiver = receiver().answer(attempt -> attempt <= 2 ? 500 : 200);
        var webhook = subscribe(receiver, tenant);
        var sent = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            sent.add(append(tenant, "tenant.paused", i).id());
        }

        Await.until("every event is delivered", WAIT, () -> receiver.deliveredIds().size() == 5);
        Thread.sleep(300); // a retry or a second send would come within this
        assertThat(receiver.deliveredIds()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(receiver.requests()).hasSize(15).allSatisfy(request -> {
            assertThat(request.signatureValid()).isTrue();
            assertThat(request.type()).isEqualTo("tenant.paused");
            assertThat(request.body().path("data").path("tenant_id").asText()).isEqualTo(tenant);
            assertThat(Instant.parse(request.body().path("timestamp").asText())).isBefore(clock.instant());
            assertThat(Math.abs(request.timestamp() - clock.instant().getEpochSecond())).isLessThan(60);
        });
        var attempts = deliveries(webhook);
        assertThat(attempts).hasSize(15);
        for (var id : sent) {
            assertThat(attempts.stream().filter(d -> d.eventId().equals(id)))
                    .extracting(WebhookDelivery::attempt, WebhookDelivery::statusCode)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 500), org.assertj.core.groups.Tuple.tuple(2, 500),
                            org.assertj.core.groups.Tuple.tuple(3, 200));
        }
        assertThat(webhooks.service().get(Scope.AGENCY, webhook.id()).failingSince()).isNull();
    }

    @Test
    void endpointsGetTheirTenantsEventsOfTheTypesTheyAskedFor() throws Exception {
        open(Clock.systemUTC());
        start(FAST_RETRIES);
        var a = tenant("A");
        var b = tenant("B");
        var pausesOfA = receiver();
        var allOfB = receiver();
        var agency = receiver();
        subscribe(pausesOfA, a, "tenant.paused");
        subscribe(allOfB, b);
        subscribe(agency, null);

        var aPaused = append(a, "tenant.paused", 1);
        var aResumed = append(a, "tenant.resumed", 2);
        var bPaused = append(b, "tenant.paused", 3);

        Await.until("the agency endpoint has all three", WAIT, () -> agency.deliveredIds().size() == 3);
        Await.until("B's endpoint has B's event", WAIT, () -> allOfB.deliveredIds().size() == 1);
        Await.until("A's endpoint has A's pause", WAIT, () -> pausesOfA.deliveredIds().size() == 1);
        Thread.sleep(200);
        assertThat(pausesOfA.deliveredIds()).containsExactly(aPaused.id());
        assertThat(allOfB.deliveredIds()).containsExactly(bPaused.id());
        assertThat(agency.deliveredIds()).containsExactlyInAnyOrder(aPaused.id(), aResumed.id(), bPaused.id());
        assertThat(agency.requests()).extracting(r -> r.body().path("data").path("tenant_id").asText()).containsExactlyInAnyOrder(a, a, b);
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabledWithAnAlertAndCanBeEnabledAgain() throws Exception {
        var start = Instant.parse("2026-11-24T10:00:00Z");
        var mutable = new MutableClock(start);
        open(mutable);
        start(List.of(Duration.ofSeconds(1), Duration.ofHours(1)));
        var tenant = tenant("A");
        var receiver = receiver().answer(attempt -> 500);
        var webhook = subscribe(receiver, tenant);
        append(tenant, "tenant.paused", 1);
        Await.until("the first attempt is recorded", WAIT, () -> deliveries(webhook).size() == 1);
        assertThat(webhooks.service().get(Scope.AGENCY, webhook.id()).failingSince()).isEqualTo(start);

        // just short of the limit: the first event's retry fails, and so does a new event's first attempt
        mutable.advance(Courier.DISABLE_AFTER.minusMinutes(1));
        var pending = append(tenant, "tenant.paused", 2);
        Await.until("two more attempts are recorded", WAIT, () -> deliveries(webhook).size() == 3);
        assertThat(webhooks.service().get(Scope.AGENCY, webhook.id()).status()).isEqualTo(Webhook.Status.ACTIVE);

        mutable.advance(Duration.ofMinutes(2));
        Await.until("the endpoint is disabled", WAIT, () -> webhooks.service().get(Scope.AGENCY, webhook.id()).status() == Webhook.Status.DISABLED);
        var alerts = fixture.events.list(new EventLog.Filter(tenant, "alert.raised", null, null), null, 10).data();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.subjectId()).isEqualTo(webhook.id());
            assertThat(alert.data()).containsEntry("alert", "webhook_disabled").containsEntry("webhook_id", webhook.id())
                    .containsEntry("failing_since", start.toString()).containsEntry("last_failure", "HTTP 500");
        });

        var whileDisabled = append(tenant, "tenant.resumed", 3);
        mutable.advance(Duration.ofHours(2));
        Thread.sleep(300);
        assertThat(receiver.requests()).as("nothing is sent to a disabled endpoint").hasSize(4);

        receiver.answer(attempt -> 200);
        var enabled = webhooks.service().enable(Scope.AGENCY, webhook.id());
        assertThat(enabled.status()).isEqualTo(Webhook.Status.ACTIVE);
        assertThat(enabled.failingSince()).isNull();
        Await.until("the event still pending is delivered", WAIT, () -> receiver.deliveredIds().contains(pending.id()));
        Thread.sleep(200);
        assertThat(receiver.deliveredIds()).containsExactly(pending.id());
        assertThat(whileDisabled.id()).isNotIn(receiver.requests().stream().map(WebhookReceiver.Request::id).toList());
    }

    @Test
    void deliveriesAreListedAndAReplaySendsTheSameEventAgain() throws Exception {
        open(Clock.systemUTC());
        start(FAST_RETRIES);
        var tenant = tenant("A");
        var other = tenant("B");
        var receiver = receiver();
        var webhook = subscribe(receiver, tenant);
        var event = append(tenant, "domain.verified", 1);
        Await.until("the event is delivered", WAIT, () -> deliveries(webhook).size() == 1);
        var first = deliveries(webhook).getFirst();
        assertThat(first.eventId()).isEqualTo(event.id());
        assertThat(first.eventType()).isEqualTo("domain.verified");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.statusCode()).isEqualTo(204);
        assertThat(first.error()).isNull();

        var replayed = webhooks.service().replay(Scope.tenant(tenant), webhook.id(), first.id());
        assertThat(replayed.attempt()).isEqualTo(2);
        assertThat(replayed.statusCode()).isEqualTo(204);
        assertThat(receiver.requests()).hasSize(2).allSatisfy(request -> assertThat(request.signatureValid()).isTrue());
        assertThat(receiver.requests().get(1).id()).isEqualTo(event.id());
        assertThat(receiver.requests().get(1).body()).isEqualTo(receiver.requests().get(0).body());
        assertThat(webhooks.service().deliveries(Scope.AGENCY, webhook.id(), event.id(), null, 10).data()).hasSize(2);

        assertThatThrownBy(() -> webhooks.service().replay(Scope.tenant(other), webhook.id(), first.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> webhooks.service().replay(Scope.AGENCY, webhook.id(), "dlv_none")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRestartGoesOnFromWhereTheLogWasReadWithoutLosingOrRepeatingEvents() throws Exception {
        open(Clock.systemUTC());
        start(FAST_RETRIES);
        var tenant = tenant("A");
        var receiver = receiver();
        subscribe(receiver, tenant);
        var sent = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            sent.add(append(tenant, "tenant.paused", i).id());
        }
        Await.until("the first events are delivered", WAIT, () -> receiver.deliveredIds().size() == 3);
        webhooks.close();
        for (int i = 3; i < 6; i++) {
            sent.add(append(tenant, "tenant.paused", i).id());
        }
        Thread.sleep(100);
        start(FAST_RETRIES);
        Await.until("the events written while stopped are delivered", WAIT, () -> receiver.deliveredIds().size() >= 6);
        Thread.sleep(300);
        assertThat(receiver.deliveredIds()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void anEventCommittedBehindOneAlreadyReadIsFoundByTheSweep() throws Exception {
        var now = Instant.parse("2026-11-24T10:00:00Z");
        var mutable = new MutableClock(now.minus(Duration.ofMinutes(1)));
        open(mutable);
        start(FAST_RETRIES);
        var tenant = tenant("A");
        var receiver = receiver();
        subscribe(receiver, tenant);
        mutable.advance(Duration.ofMinutes(1));
        var read = append(tenant, "tenant.paused", 1);
        Await.until("the first event is delivered", WAIT, () -> receiver.deliveredIds().size() == 1);

        // an event whose id was made 30 s ago, committing only now (a long transaction, a node whose clock is behind)
        var late = Clock.fixed(now.minusSeconds(30), java.time.ZoneOffset.UTC);
        var lateEvent = append(new EventLog(fixture.database.jdbi(), new Ids(late), late), tenant, "tenant.resumed", 2);
        assertThat(lateEvent.id()).isLessThan(read.id());
        Thread.sleep(200);
        assertThat(receiver.deliveredIds()).containsExactly(read.id());

        mutable.advance(LogReader.LATE_COMMIT_MARGIN.minusSeconds(20));
        Await.until("the late event is delivered", WAIT, () -> receiver.deliveredIds().size() == 2);
        assertThat(receiver.deliveredIds()).containsExactly(read.id(), lateEvent.id());
    }

    @Test
    void anEndpointThatDoesNotAnswerInTimeOrCannotBeReachedFails() throws Exception {
        open(Clock.systemUTC());
        start(new Destinations(true, InetAddress::getAllByName), List.of(Duration.ofMinutes(5)), Duration.ofMillis(300));
        var tenant = tenant("A");
        var slow = subscribe(receiver().delay(Duration.ofSeconds(2)), tenant);
        var gone = receiver();
        var closed = subscribe(gone, tenant);
        gone.close();
        append(tenant, "tenant.paused", 1);
        Await.until("both attempts are recorded", WAIT, () -> deliveries(slow).size() == 1 && deliveries(closed).size() == 1);
        var late = deliveries(slow).getFirst();
        assertThat(late.statusCode()).isNull();
        assertThat(late.error()).isEqualTo("no answer within 300 ms");
        assertThat(late.durationMs()).isBetween(250L, 1500L);
        var refused = deliveries(closed).getFirst();
        assertThat(refused.statusCode()).isNull();
        assertThat(refused.error()).startsWith("could not connect to 127.0.0.1:" + java.net.URI.create(gone.url()).getPort());
    }

    @Test
    void aNameThatComesToResolveToAPrivateAddressIsRefusedAtDelivery() throws Exception {
        open(Clock.systemUTC());
        var answer = new java.util.concurrent.atomic.AtomicReference<>(InetAddress.ofLiteral("93.184.216.34"));
        start(new Destinations(false, host -> new InetAddress[] {answer.get()}), FAST_RETRIES, Duration.ofSeconds(5));
        var tenant = tenant("A");
        var created = webhooks.service().create(Scope.AGENCY, tenant, "https://hooks.clienta.example/in", List.of());
        answer.set(InetAddress.ofLiteral("10.0.0.7"));
        append(tenant, "tenant.paused", 1);
        Await.until("the attempt is recorded", WAIT, () -> !deliveries(created.webhook()).isEmpty());
        assertThat(deliveries(created.webhook()).getFirst().error())
                .isEqualTo("refused: hooks.clienta.example resolves to 10.0.0.7, which is not a public address (webhooks.allow_private is off)");
    }
}
