package dev.mailroom.feedback.dmarc;

import static dev.mailroom.feedback.dmarc.SampleReports.bytes;
import static dev.mailroom.feedback.dmarc.SampleReports.gzip;
import static dev.mailroom.feedback.dmarc.SampleReports.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.DnsSetup;
import dev.mailroom.feedback.dmarc.SampleReports.Row;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import dev.mailroom.tenancy.Tenant;
import dev.mailroom.tenancy.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Reports taken in for a domain's token and read back within scopes, on H2 and PostgreSQL. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class DmarcReportsTest {
    private static final String NAME = "news.clienta.example";

    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private DmarcReports reports;
    private Tenant tenantA;
    private Tenant tenantB;
    private Domain marketing;
    private Domain transactional;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        reports = new DmarcReports(fixture.database.jdbi(), fixture.domainRepository, new Ids(Clock.systemUTC()), Clock.systemUTC());
        tenantA = fixture.tenants.create("A", Map.of());
        tenantB = fixture.tenants.create("B", Map.of());
        marketing = fixture.domains.add(Scope.AGENCY, tenantA.id(), NAME, Stream.MARKETING, DnsSetup.CNAME).domain();
        transactional = fixture.domains.add(Scope.AGENCY, tenantA.id(), NAME, Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The token of the name's report address (both streams' domains share it). */
    private String token() {
        return marketing.token();
    }

    private static String sample(String reportId, String policyDomain) {
        return SampleReports.report("Receiver", reportId, policyDomain,
                new Row("203.0.113.25", 120, "none", "pass", "pass", NAME),
                new Row("198.51.100.7", 4, "quarantine", "fail", "fail", NAME),
                new Row("203.0.113.25", 30, "none", "fail", "pass", NAME),
                new Row("203.0.113.25", 2, "reject", "fail", "fail", NAME));
    }

    private String stored(Ingested ingested) {
        assertThat(ingested).isInstanceOf(Ingested.Stored.class);
        return ((Ingested.Stored) ingested).id();
    }

    private int rows(String table) {
        return fixture.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Integer.class).one());
    }

    @Test
    void aReportIsStoredForItsTokensNameWithTotalsBySource() {
        var id = stored(reports.ingest(token(), bytes(sample("r-1", NAME)), "text/xml", "report.xml"));
        assertThat(id).startsWith("dmr_");

        var detail = reports.get(Scope.AGENCY, id);
        var report = detail.report();
        assertThat(report.tenantId()).isEqualTo(tenantA.id());
        assertThat(report.domain()).isEqualTo(NAME);
        assertThat(report.metadata().orgName()).isEqualTo("Receiver");
        assertThat(report.metadata().reportId()).isEqualTo("r-1");
        assertThat(report.metadata().begin()).isEqualTo(Instant.ofEpochSecond(1700006400));
        assertThat(report.policy().domain()).isEqualTo(NAME);
        assertThat(report.messageCount()).isEqualTo(156);
        assertThat(report.sources()).containsExactly(
                new SourceTotals("203.0.113.25", 152, 150, 2, 120, 150, new SourceTotals.Dispositions(150, 0, 0, 2)),
                new SourceTotals("198.51.100.7", 4, 0, 4, 0, 0, new SourceTotals.Dispositions(0, 0, 4, 0)));
        assertThat(detail.records()).extracting(ReportRecord::sourceIp, ReportRecord::count, ReportRecord::dmarcPass).containsExactly(
                org.assertj.core.groups.Tuple.tuple("203.0.113.25", 120L, true), org.assertj.core.groups.Tuple.tuple("198.51.100.7", 4L, false),
                org.assertj.core.groups.Tuple.tuple("203.0.113.25", 30L, true), org.assertj.core.groups.Tuple.tuple("203.0.113.25", 2L, false));
        assertThat(detail.records().getFirst().dkimResults().getFirst().selector()).isEqualTo("mr1");

        // every stream on the name sees it: the report counts the mail of all of them
        for (var domain : List.of(marketing, transactional)) {
            assertThat(reports.list(Scope.AGENCY, domain.id(), null, null, 10).data()).extracting(DmarcReport::id).containsExactly(id);
        }
    }

    @Test
    void theSameReportIsStoredOnceHoweverItComes() {
        var id = stored(reports.ingest(token(), bytes(sample("r-1", NAME)), "text/xml", "report.xml"));
        assertThat(reports.ingest(token(), gzip(bytes(sample("r-1", NAME))), "application/gzip", "report.xml.gz"))
                .isEqualTo(new Ingested.Duplicate(id));
        assertThat(reports.ingest(transactional.token(), zip("report.xml", bytes(sample("r-1", NAME))), "application/zip", null))
                .isEqualTo(new Ingested.Duplicate(id));
        assertThat(rows("dmarc_reports")).isEqualTo(1);
        assertThat(rows("dmarc_report_records")).isEqualTo(4);

        // another reporter's report with the same id is another report
        var other = SampleReports.report("Other Receiver", "r-1", NAME, new Row("192.0.2.1", 1, "none", "pass", "pass", NAME));
        assertThat(stored(reports.ingest(token(), bytes(other), null, null))).isNotEqualTo(id);
    }

    @Test
    void aReportSentManyTimesAtOnceIsStoredOnce() throws Exception {
        var attachment = bytes(sample("r-race", NAME));
        var tasks = new ArrayList<Callable<Ingested>>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> reports.ingest(token(), attachment, "text/xml", null));
        }
        List<Ingested> results;
        try (var pool = Executors.newFixedThreadPool(8)) {
            results = pool.invokeAll(tasks).stream().map(future -> {
                try {
                    return future.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
        var stored = results.stream().filter(Ingested.Stored.class::isInstance).map(r -> ((Ingested.Stored) r).id()).toList();
        assertThat(stored).hasSize(1);
        assertThat(results).allMatch(r -> r.equals(new Ingested.Stored(stored.getFirst())) || r.equals(new Ingested.Duplicate(stored.getFirst())));
        assertThat(rows("dmarc_reports")).isEqualTo(1);
        assertThat(rows("dmarc_report_records")).isEqualTo(4);
    }

    @Test
    void everyRefusalStoresNothing() throws Exception {
        var good = bytes(sample("r-1", NAME));
        var xxe = bytes("<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><feedback>&x;</feedback>");
        var bomb = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(bomb)) {
            var megabyte = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(megabyte);
            }
        }
        var oversize = new byte[(10 << 20) + 1];
        oversize[0] = '<';
        var cases = List.of(
                new Object[] {"nosuchtoken", good, Refusal.UNKNOWN_RECIPIENT},
                new Object[] {"", good, Refusal.UNKNOWN_RECIPIENT},
                new Object[] {"x".repeat(41), good, Refusal.UNKNOWN_RECIPIENT},
                new Object[] {token(), bytes(sample("r-2", "clienta.example")), Refusal.DOMAIN_MISMATCH},
                new Object[] {token(), bytes(sample("r-3", "other.example")), Refusal.DOMAIN_MISMATCH},
                new Object[] {token(), bytes(sample("r-4", "evilnews.clienta.example")), Refusal.DOMAIN_MISMATCH},
                new Object[] {token(), xxe, Refusal.DOCTYPE},
                new Object[] {token(), bomb.toByteArray(), Refusal.DECOMPRESSION_LIMIT},
                new Object[] {token(), zip("../report.xml", good), Refusal.BAD_ARCHIVE},
                new Object[] {token(), zip("a.xml", good, "b.xml", good), Refusal.BAD_ARCHIVE},
                new Object[] {token(), oversize, Refusal.TOO_LARGE},
                new Object[] {token(), bytes("<feedback><report_metadata>"), Refusal.MALFORMED_XML},
                new Object[] {token(), bytes("<feedback/>"), Refusal.INVALID_REPORT},
                new Object[] {token(), "%PDF-1.7".getBytes(), Refusal.UNSUPPORTED_FORMAT});
        for (var c : cases) {
            var result = reports.ingest((String) c[0], (byte[]) c[1], "application/octet-stream", "report");
            assertThat(result).as((String) c[0] + " " + c[2]).isInstanceOf(Ingested.Refused.class);
            assertThat(((Ingested.Refused) result).reason()).as(((Ingested.Refused) result).detail()).isEqualTo(c[2]);
        }
        assertThat(rows("dmarc_reports")).isZero();
        assertThat(rows("dmarc_report_records")).isZero();
    }

    @Test
    void subdomainsOfTheNameAreItsOwnUnlessAnotherTenantAddedThem() {
        assertThat(reports.ingest(token(), bytes(sample("s-1", "eu." + NAME)), null, null)).isInstanceOf(Ingested.Stored.class);

        fixture.domains.add(Scope.AGENCY, tenantA.id(), "shop." + NAME, Stream.TRANSACTIONAL, DnsSetup.CNAME);
        assertThat(reports.ingest(token(), bytes(sample("s-2", "shop." + NAME)), null, null)).isInstanceOf(Ingested.Stored.class);

        fixture.domains.add(Scope.AGENCY, tenantB.id(), "b." + NAME, Stream.TRANSACTIONAL, DnsSetup.CNAME);
        for (var name : List.of("b." + NAME, "x.b." + NAME)) {
            var refused = reports.ingest(token(), bytes(sample("s-" + name, name)), null, null);
            assertThat(refused).isEqualTo(new Ingested.Refused(Refusal.DOMAIN_MISMATCH,
                    "the report is about " + name + "; this address does not take reports about b." + NAME));
        }
        assertThat(reports.list(Scope.AGENCY, marketing.id(), null, null, 10).data()).extracting(r -> r.policy().domain())
                .containsExactly("eu." + NAME, "shop." + NAME);
    }

    @Test
    void theTokenIsKnownWhateverItsCase() {
        assertThat(reports.knowsToken(marketing.token())).isTrue();
        assertThat(reports.knowsToken(marketing.token().toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(reports.knowsToken("zzzzzzzzzz")).isFalse();
        assertThat(reports.knowsToken("")).isFalse();
        assertThat(reports.knowsToken(null)).isFalse();
        assertThat(reports.ingest(marketing.token().toUpperCase(java.util.Locale.ROOT), bytes(sample("c-1", NAME)), null, null))
                .isInstanceOf(Ingested.Stored.class);
        assertThat(reports.ingest("zzzzzzzzzz", bytes(sample("c-2", NAME)), null, null))
                .isEqualTo(new Ingested.Refused(Refusal.UNKNOWN_RECIPIENT, "dmarc+zzzzzzzzzz is not the report address of any domain"));
    }

    @Test
    void eachTenantSeesItsOwnReportsOnly() {
        var id = stored(reports.ingest(token(), bytes(sample("r-1", NAME)), null, null));
        var other = fixture.domains.add(Scope.AGENCY, tenantB.id(), "mail.clientb.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        var idB = stored(reports.ingest(other.token(), bytes(sample("r-1", "mail.clientb.example")), null, null));

        var scopeA = Scope.tenant(tenantA.id());
        var scopeB = Scope.tenant(tenantB.id());
        assertThat(reports.list(scopeA, null, null, null, 10).data()).extracting(DmarcReport::id).containsExactly(id);
        assertThat(reports.list(scopeB, null, null, null, 10).data()).extracting(DmarcReport::id).containsExactly(idB);
        assertThat(reports.list(Scope.AGENCY, null, null, null, 10).data()).extracting(DmarcReport::id).containsExactly(id, idB);
        assertThatThrownBy(() -> reports.list(scopeB, marketing.id(), null, null, 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> reports.get(scopeB, id)).isInstanceOf(NotFoundException.class)
                .hasMessage("dmarc report " + id + " not found");
        assertThat(reports.get(scopeA, id).report().id()).isEqualTo(id);

        // a key limited to some domains reaches a report through any stream of its name in its reach
        var onlyMarketing = new Scope(tenantA.id(), Set.of(marketing.id()));
        assertThat(reports.get(onlyMarketing, id).report().id()).isEqualTo(id);
        assertThat(reports.list(onlyMarketing, marketing.id(), null, null, 10).data()).hasSize(1);
        var elsewhere = fixture.domains.add(Scope.AGENCY, tenantA.id(), "other.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        var onlyElsewhere = new Scope(tenantA.id(), Set.of(elsewhere.id()));
        assertThatThrownBy(() -> reports.get(onlyElsewhere, id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> reports.list(onlyElsewhere, marketing.id(), null, null, 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> reports.list(onlyElsewhere, null, null, null, 10)).isInstanceOf(ValidationException.class);
    }

    @Test
    void listsPageOldestFirstAndSinceLeavesOutEarlierPeriods() {
        var day = 86_400L;
        var ids = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            long begin = 1_700_006_400L + i * day;
            ids.add(stored(reports.ingest(token(), bytes(SampleReports.report("Receiver", "day-" + i, NAME, begin, begin + day - 1,
                    new Row("192.0.2." + (i + 1), i + 1, "none", "pass", "pass", NAME))), null, null)));
        }
        var first = reports.list(Scope.AGENCY, marketing.id(), null, null, 2);
        assertThat(first.data()).extracting(DmarcReport::id).containsExactly(ids.get(0), ids.get(1));
        var second = reports.list(Scope.AGENCY, marketing.id(), null, first.nextCursor(), 2);
        assertThat(second.data()).extracting(DmarcReport::id).containsExactly(ids.get(2), ids.get(3));
        var last = reports.list(Scope.AGENCY, marketing.id(), null, second.nextCursor(), 2);
        assertThat(last.data()).extracting(DmarcReport::id).containsExactly(ids.get(4));
        assertThat(last.nextCursor()).isNull();
        assertThat(last.data().getFirst().sources()).extracting(SourceTotals::sourceIp, SourceTotals::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.5", 5L));

        // periods ending at or after the third day's end
        var since = Instant.ofEpochSecond(1_700_006_400L + 3 * day - 1);
        assertThat(reports.list(Scope.AGENCY, marketing.id(), since, null, 10).data()).extracting(DmarcReport::id)
                .containsExactly(ids.get(2), ids.get(3), ids.get(4));
    }
}
