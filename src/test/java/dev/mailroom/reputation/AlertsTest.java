package dev.mailroom.reputation;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The alert life cycle: raised once, escalated, resolved, announced each time, and seen only by its tenant. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class AlertsTest {
    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
    private TenancyFixture fixture;
    private Alerts alerts;
    private String tenant;
    private String other;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind, clock);
        alerts = new Alerts(fixture.database.jdbi(), fixture.events, new Ids(clock), clock);
        tenant = fixture.tenants.create("Client A", Map.of()).id();
        other = fixture.tenants.create("Client B", Map.of()).id();
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void raisingWhatIsOpenChangesNothingAndWorseningAnnouncesAgain() {
        var subject = Alert.Subject.tenant(tenant);
        var first = alerts.raise(subject, "bounce_rate", Alert.Severity.WARNING, "bounce rate 3.0% > 2%", Map.of("rate", 0.03));
        clock.advance(Duration.ofMinutes(1));
        var again = alerts.raise(subject, "bounce_rate", Alert.Severity.WARNING, "bounce rate 3.1% > 2%", Map.of("rate", 0.031));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(types(tenant)).containsExactly("alert.raised");

        var worse = alerts.raise(subject, "bounce_rate", Alert.Severity.CRITICAL, "bounce rate 6.0% > 5%", Map.of("rate", 0.06));
        assertThat(worse.id()).isEqualTo(first.id());
        assertThat(worse.severity()).isEqualTo(Alert.Severity.CRITICAL);
        // a critical alert does not fall back to warning while open
        assertThat(alerts.raise(subject, "bounce_rate", Alert.Severity.WARNING, "3%", Map.of()).severity()).isEqualTo(Alert.Severity.CRITICAL);
        var events = events(tenant);
        assertThat(events).extracting(Event::type).containsExactly("alert.raised", "alert.raised");
        assertThat(events.get(1).data()).containsEntry("severity", "critical").containsEntry("escalated_from", "warning")
                .containsEntry("alert_id", first.id()).containsEntry("kind", "bounce_rate");

        var resolved = alerts.resolve(subject, "bounce_rate", "bounce rate 1.0% is under 2%").orElseThrow();
        assertThat(resolved.state()).isEqualTo(Alert.State.RESOLVED);
        assertThat(resolved.resolvedAt()).isEqualTo(clock.instant());
        assertThat(alerts.resolve(subject, "bounce_rate", "again")).isEmpty();
        assertThat(types(tenant)).containsExactly("alert.raised", "alert.raised", "alert.resolved");
        assertThat(alerts.open(tenant)).isEmpty();

        // the condition comes back: a new alert
        var next = alerts.raise(subject, "bounce_rate", Alert.Severity.WARNING, "back", Map.of());
        assertThat(next.id()).isNotEqualTo(first.id());
        assertThat(alerts.open(tenant)).extracting(Alert::id).containsExactly(next.id());
    }

    @Test
    void tenantsSeeTheirOwnAlertsAndTheAgencySeesAll() {
        var mine = alerts.raise(Alert.Subject.tenant(tenant), "complaint_rate", Alert.Severity.CRITICAL, "0.3%", Map.of());
        alerts.raise(Alert.Subject.tenant(other), "complaint_rate", Alert.Severity.WARNING, "0.15%", Map.of());
        var pool = alerts.raise(new Alert.Subject(null, "pool", "pool_standard"), "bounce_rate", Alert.Severity.WARNING,
                "pool bounce rate", Map.of("worst_tenant", tenant));

        assertThat(alerts.list(Scope.tenant(tenant), new Alerts.Filter(null, null), null, 100).data()).extracting(Alert::id)
                .containsExactly(mine.id());
        assertThat(alerts.list(Scope.AGENCY, new Alerts.Filter(Alert.State.OPEN, null), null, 100).data()).hasSize(3);
        assertThat(alerts.list(Scope.AGENCY, new Alerts.Filter(null, "bounce_rate"), null, 100).data()).extracting(Alert::id)
                .containsExactly(pool.id());
        assertThatThrownBy(() -> alerts.get(Scope.tenant(tenant), pool.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> alerts.get(Scope.tenant(other), mine.id())).isInstanceOf(NotFoundException.class);
        assertThat(alerts.get(Scope.AGENCY, pool.id()).tenantId()).isNull();
        // the agency's own alert is an event of no tenant
        assertThat(fixture.events.list(new EventLog.Filter(null, "alert.raised", pool.id(), null), null, 10).data()).hasSize(1);
    }

    private List<Event> events(String tenantId) {
        return fixture.events.list(new EventLog.Filter(tenantId, null, null, null), null, 100).data();
    }

    private List<String> types(String tenantId) {
        return events(tenantId).stream().map(Event::type).toList();
    }
}
