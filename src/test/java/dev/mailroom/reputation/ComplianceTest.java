package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.delivery.PoolAssignments;
import dev.mailroom.delivery.PoolRepository;
import dev.mailroom.delivery.PoolService;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.InMemoryZone;
import dev.mailroom.dns.verify.RecordVerifier;
import dev.mailroom.reputation.ComplianceReport.Status;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.DkimRotation;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.DomainMonitor;
import dev.mailroom.tenancy.MonitorSchedule;
import dev.mailroom.tenancy.MutableClock;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sending domains against the bulk-sender rules: records verified by the monitor (one zone), DMARC
 * and reverse DNS read from another zone the test changes, traffic from memory.
 */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class ComplianceTest {
    @Parameter
    TestDatabase kind;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final InMemoryZone dns = new InMemoryZone();
    private final Map<String, Long> gmailVolume = new HashMap<>();
    private final Map<String, Double> complaintRates = new HashMap<>();
    private TenancyFixture fixture;
    private Alerts alerts;
    private Compliance compliance;
    private String tenant;
    private Domain news;

    @BeforeEach
    void start() {
        fixture = new TenancyFixture(kind, clock);
        var jdbi = fixture.database.jdbi();
        var pools = new PoolService(new PoolRepository(jdbi, fixture.sealer), new Ids(clock), clock);
        pools.addAddress("pool_starter", "192.0.2.10", "out.example.net", null);
        var assignments = new PoolAssignments(pools, fixture.tenants, fixture.domains, fixture.domainRepository, clock);
        alerts = new Alerts(jdbi, fixture.events, new Ids(clock), clock);
        DomainTraffic traffic = new DomainTraffic() {
            @Override
            public long dailyVolume(String domainId, String provider) {
                return provider.equals("gmail") ? gmailVolume.getOrDefault(domainId, 0L) : 0;
            }

            @Override
            public Double complaintRate(String domainId) {
                return complaintRates.get(domainId);
            }
        };
        compliance = new Compliance(fixture.domains, fixture.domainRepository, assignments, dns, traffic, alerts, clock);
        tenant = fixture.tenants.create("Client A", Map.of()).id();
        news = verified("news.clienta.example", Stream.MARKETING);
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Adds a domain and verifies it against a zone of its own records (DMARC included: bulk streams need it). */
    private Domain verified(String name, Stream stream) {
        var domain = fixture.domains.add(Scope.AGENCY, tenant, name, stream, DnsSetup.CNAME).domain();
        var zone = new InMemoryZone();
        for (var record : fixture.domains.get(Scope.AGENCY, domain.id()).records()) {
            switch (record.type()) {
                case "CNAME" -> zone.cname(record.name(), record.value());
                case "TXT" -> zone.txt(record.name(), record.value());
                default -> throw new IllegalStateException(record.type());
            }
        }
        var verifier = new RecordVerifier(zone);
        var monitor = new DomainMonitor(fixture.domains, fixture.domainRepository, verifier, verifier,
                new DkimRotation(fixture.domains, fixture.domainRepository, zone, Duration.ofDays(7), clock), MonitorSchedule.DEFAULT, clock);
        return monitor.verifyNow(Scope.AGENCY, domain.id()).domain();
    }

    private ComplianceReport.Check check(String domainId, String rule) {
        return compliance.forDomain(Scope.AGENCY, domainId).checks().stream().filter(check -> check.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void aVerifiedDomainPassesAuthenticationAndAlignment() {
        assertThat(news.sendable()).isTrue();
        assertThat(check(news.id(), "spf").status()).isEqualTo(Status.PASS);
        assertThat(check(news.id(), "dkim").status()).isEqualTo(Status.PASS);
        var alignment = check(news.id(), "alignment");
        assertThat(alignment.status()).isEqualTo(Status.PASS);
        assertThat(alignment.detail()).contains("DKIM (d=news.clienta.example)", "SPF (rp.news.clienta.example, relaxed)");
        assertThat(check(news.id(), "one_click_unsubscribe").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aPendingDomainFailsAuthenticationWithWhatToPublish() {
        var pending = fixture.domains.add(Scope.AGENCY, tenant, "tx.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        var dkim = check(pending.id(), "dkim");
        assertThat(dkim.status()).isEqualTo(Status.FAIL);
        assertThat(dkim.detail()).contains("._domainkey.tx.clienta.example CNAME (pending)");
        assertThat(dkim.fix()).startsWith("publish ").contains("._domainkey.tx.clienta.example CNAME ");
        assertThat(check(pending.id(), "spf").fix()).isEqualTo("publish rp.tx.clienta.example CNAME rp.mailroom.test");
        // not a bulk sender: the bulk rule warns
        var alignment = check(pending.id(), "alignment");
        assertThat(alignment.status()).isEqualTo(Status.WARN);
        assertThat(alignment.detail()).contains("neither DKIM nor SPF is verified", "5,000 messages a day");
        assertThat(check(pending.id(), "one_click_unsubscribe").detail()).startsWith("not required: transactional messages are exempt");
    }

    @Test
    void dmarcPresentAbsentOrInheritedFromTheOrganisationalDomain() {
        var absent = check(news.id(), "dmarc");
        assertThat(absent.status()).isEqualTo(Status.WARN);
        assertThat(absent.fix()).startsWith("publish _dmarc.news.clienta.example TXT v=DMARC1; p=none; rua=mailto:dmarc+");

        gmailVolume.put(news.id(), 6_000L);
        assertThat(check(news.id(), "dmarc").status()).as("a bulk sender must publish DMARC").isEqualTo(Status.FAIL);

        dns.txt("_dmarc.clienta.example", "v=DMARC1; p=reject; sp=none");
        var inherited = check(news.id(), "dmarc");
        assertThat(inherited.status()).isEqualTo(Status.PASS);
        assertThat(inherited.detail()).startsWith("p=none at _dmarc.clienta.example (the organisational domain's record covers news.clienta.example)");

        dns.txt("_dmarc.news.clienta.example", "v=DMARC1; p=none; rua=mailto:reports@clienta.example");
        var own = check(news.id(), "dmarc");
        assertThat(own.status()).isEqualTo(Status.PASS);
        assertThat(own.detail()).startsWith("p=none at _dmarc.news.clienta.example;").contains("none is enough");
        assertThat(own.fix()).isNull();
    }

    @Test
    void anInvalidDmarcRecordFailsAndAFailedLookupIsUnknown() {
        gmailVolume.put(news.id(), 6_000L);
        dns.txt("_dmarc.news.clienta.example", "v=DMARC1; p=sometimes");
        var invalid = check(news.id(), "dmarc");
        assertThat(invalid.status()).isEqualTo(Status.FAIL);
        assertThat(invalid.detail()).contains("is invalid: p= must be none, quarantine or reject");

        var other = verified("notify.clienta.example", Stream.NOTIFICATIONS);
        dns.timeout("_dmarc.notify.clienta.example");
        assertThat(check(other.id(), "dmarc").status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void complaintRatesAgainstTheLimitAndTheTarget() {
        assertThat(check(news.id(), "complaint_rate").status()).isEqualTo(Status.UNKNOWN);
        complaintRates.put(news.id(), 0.0035);
        var over = check(news.id(), "complaint_rate");
        assertThat(over.status()).isEqualTo(Status.FAIL);
        assertThat(over.detail()).contains("0.35%");
        complaintRates.put(news.id(), 0.002);
        assertThat(check(news.id(), "complaint_rate").status()).isEqualTo(Status.WARN);
        complaintRates.put(news.id(), 0.0005);
        var under = check(news.id(), "complaint_rate");
        assertThat(under.status()).isEqualTo(Status.PASS);
        assertThat(under.detail()).contains("0.05%");
    }

    @Test
    void moreThan5000ADayToGmailMakesABulkSender() {
        gmailVolume.put(news.id(), 5_000L);
        assertThat(compliance.forDomain(Scope.AGENCY, news.id()).bulkSender()).isFalse();
        gmailVolume.put(news.id(), 5_001L);
        var report = compliance.forDomain(Scope.AGENCY, news.id());
        assertThat(report.bulkSender()).isTrue();
        assertThat(report.bulkProviders()).containsExactly("gmail");
        assertThat(report.dailyVolumes()).containsEntry("gmail", 5_001L).containsEntry("outlook", 0L).containsEntry("yahoo", 0L);
        assertThat(compliance.forTenant(tenant)).extracting(ComplianceReport::domainId).containsExactly(news.id());
    }

    @Test
    void reverseDnsMustBeForwardConfirmed() {
        var missing = check(news.id(), "reverse_dns");
        assertThat(missing.status()).isEqualTo(Status.FAIL);
        assertThat(missing.fix()).isEqualTo("set the PTR record of 192.0.2.10 to out.example.net (at the provider of the address) and publish out.example.net A 192.0.2.10");
        dns.ptr("10.2.0.192.in-addr.arpa", "out.example.net");
        assertThat(check(news.id(), "reverse_dns").status()).as("the name does not resolve back").isEqualTo(Status.FAIL);
        dns.a("out.example.net", "192.0.2.10");
        assertThat(check(news.id(), "reverse_dns").status()).isEqualTo(Status.PASS);
    }

    @Test
    void aBulkSenderFailingARuleIsAlertedUntilItComplies() {
        compliance.checkAll();
        assertThat(alerts.openOfKind(Compliance.ALERT_KIND)).as("not a bulk sender").isEmpty();

        gmailVolume.put(news.id(), 10_000L);
        dns.ptr("10.2.0.192.in-addr.arpa", "out.example.net").a("out.example.net", "192.0.2.10");
        assertThat(compliance.checkAll()).isEqualTo(1);
        assertThat(alerts.openOfKind(Compliance.ALERT_KIND)).singleElement().satisfies(alert -> {
            assertThat(alert.tenantId()).isEqualTo(tenant);
            assertThat(alert.subjectKind()).isEqualTo("domain");
            assertThat(alert.subjectId()).isEqualTo(news.id());
            assertThat(alert.severity()).isEqualTo(Alert.Severity.WARNING);
            assertThat(alert.message()).isEqualTo("news.clienta.example sends in bulk to gmail and fails their sender rules: dmarc");
        });

        dns.txt("_dmarc.news.clienta.example", "v=DMARC1; p=none");
        compliance.checkAll();
        assertThat(alerts.openOfKind(Compliance.ALERT_KIND)).isEmpty();
    }
}
