package dev.mailroom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.feedback.dmarc.DmarcReports;
import dev.mailroom.feedback.dmarc.Ingested;
import dev.mailroom.feedback.dmarc.SourceTotals;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import dev.mailroom.tenancy.TenancyFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reports written by Mail::DMARC (Debian's libmail-dmarc-perl, as a receiver running it sends
 * them): its XML, gzipped by its own compress (what it mails) and zipped by IO::Compress::Zip,
 * are ingested and their totals by source address match what the Perl script was given.
 */
class DmarcMailDmarcInteropTest {
    static final Path PERL = Path.of("/usr/bin/perl");
    private static final String NAME = "news.clienta.example";

    /**
     * Builds an aggregate report with Mail::DMARC's own objects from tab-separated rows on stdin
     * (ip, count, disposition, dkim, spf, header_from, dkim domain and result, spf domain and
     * result) and writes it as xml, gz or zip. Arguments: format, org, report id, domain, begin, end.
     */
    private static final String SCRIPT = """
            use strict;
            use warnings;
            use Mail::DMARC::Policy;
            use Mail::DMARC::Report;
            use Mail::DMARC::Report::Aggregate::Record;
            use IO::Compress::Zip qw(zip $ZipError);
            my ($format, $org, $report_id, $domain, $begin, $end) = @ARGV;
            my $report = Mail::DMARC::Report->new;
            my $aggregate = $report->aggregate;
            $aggregate->metadata->org_name($org);
            $aggregate->metadata->email("dmarc-reports\\@$org");
            $aggregate->metadata->report_id($report_id);
            $aggregate->metadata->begin($begin);
            $aggregate->metadata->end($end);
            my $policy = Mail::DMARC::Policy->new("v=DMARC1; p=reject; adkim=s; aspf=r; pct=100");
            $policy->domain($domain);
            $aggregate->policy_published($policy);
            while (my $line = <STDIN>) {
                chomp $line;
                my ($ip, $count, $disposition, $dkim, $spf, $header_from, $dkim_domain, $dkim_result, $spf_domain, $spf_result) = split /\\t/, $line;
                my $record = Mail::DMARC::Report::Aggregate::Record->new;
                $record->row(source_ip => $ip, count => $count,
                    policy_evaluated => { disposition => $disposition, dkim => $dkim, spf => $spf });
                $record->identifiers(header_from => $header_from, envelope_from => $spf_domain);
                $record->auth_results(
                    dkim => [ { domain => $dkim_domain, selector => "mr1", result => $dkim_result } ],
                    spf => [ { domain => $spf_domain, scope => "mfrom", result => $spf_result } ]);
                $aggregate->record($record);
            }
            my $xml = $aggregate->as_xml;
            binmode STDOUT;
            if ($format eq "gz") {
                print $report->compress(\\$xml);
            } elsif ($format eq "zip") {
                my $zipped;
                zip(\\$xml => \\$zipped, Name => "$org!$domain!$begin!$end.xml") or die "zip: $ZipError";
                print $zipped;
            } else {
                print $xml;
            }
            """;

    private static TenancyFixture fixture;
    private static DmarcReports reports;
    private static Domain domain;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PERL), "skipped: /usr/bin/perl is missing");
        var probe = new ProcessBuilder(PERL.toString(), "-MMail::DMARC::Report", "-e", "1").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "skipped: Mail::DMARC is not installed (apt-get install libmail-dmarc-perl)");
        fixture = new TenancyFixture(TestDatabase.H2);
        reports = new DmarcReports(fixture.database.jdbi(), fixture.domainRepository, new Ids(Clock.systemUTC()), Clock.systemUTC());
        var tenant = fixture.tenants.create("A", Map.of());
        domain = fixture.domains.add(Scope.AGENCY, tenant.id(), NAME, Stream.MARKETING, DnsSetup.CNAME).domain();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private record Row(String ip, int count, String disposition, String dkim, String spf) {
        String line() {
            return String.join("\t", ip, Integer.toString(count), disposition, dkim, spf, NAME, NAME, dkim, "rp." + NAME, spf);
        }
    }

    /** Several records per source, IPv4 and IPv6 (spelt long, as some receivers do), every disposition and result. */
    private static List<Row> rows(long seed) {
        var random = new Random(seed);
        var sources = new ArrayList<String>();
        for (int i = 1; i <= 8; i++) {
            sources.add("203.0.113." + (10 * i));
        }
        for (int i = 1; i <= 4; i++) {
            sources.add("2001:0DB8:0000:0000:0000:0000:0000:00" + (10 + i));
        }
        var dispositions = List.of("none", "quarantine", "reject");
        var results = List.of("pass", "fail");
        var rows = new ArrayList<Row>();
        for (int i = 0; i < 60; i++) {
            rows.add(new Row(sources.get(random.nextInt(sources.size())), 1 + random.nextInt(5000), dispositions.get(random.nextInt(3)),
                    results.get(random.nextInt(2)), results.get(random.nextInt(2))));
        }
        return rows;
    }

    private static byte[] mailDmarc(String format, String reportId, List<Row> rows) throws IOException, InterruptedException {
        var process = new ProcessBuilder(PERL.toString(), "-e", SCRIPT, format, "receiver.example", reportId, NAME, "1700006400", "1700092799")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var stdin = process.getOutputStream()) {
            for (var row : rows) {
                stdin.write((row.line() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        var output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("perl exit status").isZero();
        return output;
    }

    /** What the report should add up to, per source address as Mailroom writes it. */
    private static Map<String, SourceTotals> expected(List<Row> rows) {
        var totals = new TreeMap<String, SourceTotals>();
        for (var row : rows) {
            var ip = InetAddresses.toAddrString(InetAddresses.forString(row.ip()));
            boolean dkim = row.dkim().equals("pass");
            boolean spf = row.spf().equals("pass");
            long n = row.count();
            var before = totals.getOrDefault(ip, new SourceTotals(ip, 0, 0, 0, 0, 0, new SourceTotals.Dispositions(0, 0, 0, 0)));
            var d = before.dispositions();
            totals.put(ip, new SourceTotals(ip, before.count() + n, before.dmarcPass() + (dkim || spf ? n : 0),
                    before.dmarcFail() + (dkim || spf ? 0 : n), before.dkimAlignedPass() + (dkim ? n : 0), before.spfAlignedPass() + (spf ? n : 0),
                    new SourceTotals.Dispositions(d.none() + (row.disposition().equals("none") ? n : 0), 0,
                            d.quarantine() + (row.disposition().equals("quarantine") ? n : 0), d.reject() + (row.disposition().equals("reject") ? n : 0))));
        }
        return totals;
    }

    @ParameterizedTest
    @ValueSource(strings = {"xml", "gz", "zip"})
    void aReportByMailDmarcIsIngestedAndItsCountsMatch(String format) throws Exception {
        var rows = rows(format.hashCode());
        var attachment = mailDmarc(format, "mail-dmarc-" + format, rows);
        var contentType = switch (format) {
            case "gz" -> "application/gzip";
            case "zip" -> "application/zip";
            default -> "text/xml";
        };
        var result = reports.ingest(domain.token(), attachment, contentType, "report." + format);
        assertThat(result).as(result.toString()).isInstanceOf(Ingested.Stored.class);

        var detail = reports.get(Scope.AGENCY, ((Ingested.Stored) result).id());
        var report = detail.report();
        assertThat(report.metadata().orgName()).isEqualTo("receiver.example");
        assertThat(report.metadata().reportId()).isEqualTo("mail-dmarc-" + format);
        assertThat(report.policy().domain()).isEqualTo(NAME);
        assertThat(report.policy().p().name()).isEqualTo("REJECT");
        assertThat(detail.records()).hasSize(rows.size());
        assertThat(report.messageCount()).isEqualTo(rows.stream().mapToLong(Row::count).sum());
        var byIp = new TreeMap<String, SourceTotals>();
        report.sources().forEach(totals -> byIp.put(totals.sourceIp(), totals));
        assertThat(byIp).isEqualTo(expected(rows));
        assertThat(byIp).containsKey("2001:db8::11");

        assertThat(reports.ingest(domain.token(), attachment, contentType, "report." + format))
                .isEqualTo(new Ingested.Duplicate(report.id()));
    }
}
