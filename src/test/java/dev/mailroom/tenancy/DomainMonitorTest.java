package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.InMemoryZone;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.dns.verify.RecordVerifier;
import dev.mailroom.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The monitoring schedule and the status rules, with DNS in memory and a clock moved by hand. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class DomainMonitorTest {
    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private TenancyFixture fixture;
    private InMemoryZone zone;
    private DomainMonitor monitor;
    private Domain domain;

    @BeforeEach
    void start() {
        fixture = new TenancyFixture(kind, clock);
        zone = new InMemoryZone();
        var verifier = new RecordVerifier(zone);
        monitor = new DomainMonitor(fixture.domains, fixture.domainRepository, verifier, verifier,
                new DkimRotation(fixture.domains, fixture.domainRepository, zone, Duration.ofDays(7), clock), MonitorSchedule.DEFAULT, clock);
        var tenant = fixture.tenants.create("A", Map.of());
        domain = fixture.domains.add(Scope.AGENCY, tenant.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void publishAll() {
        publish(zone, null);
    }

    /** Publishes the domain's records in a zone, all but the one named {@code except}. */
    private void publish(InMemoryZone target, String except) {
        for (var record : fixture.domains.get(Scope.AGENCY, domain.id()).records()) {
            if (record.name().equals(except)) {
                continue;
            }
            switch (record.type()) {
                case "CNAME" -> target.cname(record.name(), record.value());
                case "TXT" -> target.txt(record.name(), record.value());
                default -> throw new IllegalStateException(record.type());
            }
        }
    }

    private DomainStatus status() {
        return fixture.domains.get(Scope.AGENCY, domain.id()).domain().status();
    }

    @Test
    void checksFollowTheSchedule() {
        assertThat(monitor.runDueChecks()).as("the client needs time to publish").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(monitor.runDueChecks()).isEqualTo(1);
        assertThat(monitor.runDueChecks()).as("not due again for five minutes").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(monitor.runDueChecks()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(55)); // past the first hour: hourly now
        assertThat(monitor.runDueChecks()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(30));
        assertThat(monitor.runDueChecks()).isZero();
        publishAll();
        clock.advance(Duration.ofMinutes(30));
        assertThat(monitor.runDueChecks()).isEqualTo(1);
        assertThat(status()).isEqualTo(DomainStatus.VERIFIED);

        clock.advance(Duration.ofHours(23)); // verified: daily
        assertThat(monitor.runDueChecks()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(monitor.runDueChecks()).isEqualTo(1);
    }

    @Test
    void aTimeoutNeverFailsAVerifiedDomainButABrokenRecordDoes() {
        assertThat(fixture.domains.get(Scope.AGENCY, domain.id()).domain().sendable()).isFalse();
        publishAll();
        monitor.verifyNow(Scope.AGENCY, domain.id());
        assertThat(status()).isEqualTo(DomainStatus.VERIFIED);
        assertThat(fixture.domains.get(Scope.AGENCY, domain.id()).domain().sendable()).isTrue();

        var dkim = fixture.domains.get(Scope.AGENCY, domain.id()).records().stream().filter(DnsRecord::required).findFirst().orElseThrow();
        var timingOut = new InMemoryZone().timeout(dkim.name());
        publish(timingOut, dkim.name());
        var flaky = new DomainMonitor(fixture.domains, fixture.domainRepository, new RecordVerifier(timingOut), new RecordVerifier(timingOut),
                new DkimRotation(fixture.domains, fixture.domainRepository, timingOut, Duration.ofDays(7), clock), MonitorSchedule.DEFAULT, clock);
        var afterTimeout = flaky.verifyNow(Scope.AGENCY, domain.id());
        assertThat(afterTimeout.domain().status()).isEqualTo(DomainStatus.VERIFIED);
        var kept = afterTimeout.records().stream().filter(r -> r.name().equals(dkim.name())).findFirst().orElseThrow();
        assertThat(kept.status()).isEqualTo(RecordStatus.VERIFIED);
        assertThat(kept.detail()).startsWith("lookup failed");

        var empty = new InMemoryZone();
        var strict = new DomainMonitor(fixture.domains, fixture.domainRepository, new RecordVerifier(empty), new RecordVerifier(empty),
                new DkimRotation(fixture.domains, fixture.domainRepository, empty, Duration.ofDays(7), clock), MonitorSchedule.DEFAULT, clock);
        var failing = strict.verifyNow(Scope.AGENCY, domain.id()).domain();
        assertThat(failing.status()).isEqualTo(DomainStatus.FAILING);
        assertThat(failing.sendable()).as("a failing domain's mail is held").isFalse();
        assertThat(fixture.events.list(new dev.mailroom.events.EventLog.Filter(domain.tenantId(), "domain.failing", null, null), null, 10).data()).hasSize(1);
        assertThat(fixture.events.list(new dev.mailroom.events.EventLog.Filter(domain.tenantId(), "domain.verified", null, null), null, 10).data()).hasSize(1);
    }
}
