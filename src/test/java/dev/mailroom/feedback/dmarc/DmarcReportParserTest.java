package dev.mailroom.feedback.dmarc;

import static dev.mailroom.feedback.dmarc.SampleReports.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.DmarcRecord;
import dev.mailroom.feedback.dmarc.ReportRecord.DkimResult;
import dev.mailroom.feedback.dmarc.ReportRecord.PolicyOverride;
import dev.mailroom.feedback.dmarc.ReportRecord.SpfResult;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The XML of aggregate reports, hand-written: fields, alignment, defaults, and what is refused. */
class DmarcReportParserTest {
    @TempDir
    Path dir;

    private static AggregateReport parse(String xml) throws ReportRefused {
        return AggregateReportParser.parse(bytes(xml));
    }

    private static ReportRefused refusal(String xml) {
        try {
            parse(xml);
        } catch (ReportRefused e) {
            return e;
        }
        throw new AssertionError("not refused: " + xml);
    }

    @Test
    void readsEveryFieldOfAReportWithSeveralRecords() throws Exception {
        var report = parse("""
                <?xml version="1.0" encoding="UTF-8" ?>
                <feedback>
                  <version>1.0</version>
                  <report_metadata>
                    <org_name>Mail Receiver Inc.</org_name>
                    <email>dmarc-noreply@receiver.example</email>
                    <extra_contact_info>https://receiver.example/dmarc</extra_contact_info>
                    <report_id>17463728190012</report_id>
                    <date_range><begin>1700006400</begin><end>1700092799</end></date_range>
                    <error>one record of yours could not be parsed</error>
                  </report_metadata>
                  <policy_published>
                    <domain>News.ClientA.example.</domain>
                    <adkim>s</adkim><aspf>r</aspf><p>quarantine</p><sp>reject</sp><pct>50</pct><fo>1</fo>
                  </policy_published>
                  <record>
                    <row>
                      <source_ip>203.0.113.25</source_ip>
                      <count>120</count>
                      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>
                    </row>
                    <identifiers>
                      <envelope_to>inbox.example</envelope_to>
                      <envelope_from>rp.news.clienta.example</envelope_from>
                      <header_from>news.clienta.example</header_from>
                    </identifiers>
                    <auth_results>
                      <dkim><domain>news.clienta.example</domain><selector>mr1</selector><result>pass</result>
                        <human_result>good signature</human_result></dkim>
                      <dkim><domain>esp.example</domain><selector>s2</selector><result>fail</result></dkim>
                      <spf><domain>rp.news.clienta.example</domain><scope>mfrom</scope><result>pass</result></spf>
                    </auth_results>
                  </record>
                  <record>
                    <row>
                      <source_ip>198.51.100.7</source_ip>
                      <count>3</count>
                      <policy_evaluated>
                        <disposition>QUARANTINE</disposition><dkim>FAIL</dkim><spf>fail</spf>
                        <reason><type>forwarded</type><comment>looks like a list</comment></reason>
                        <reason><type>local_policy</type></reason>
                      </policy_evaluated>
                    </row>
                    <identifiers><header_from>news.clienta.example</header_from></identifiers>
                    <auth_results><spf><domain>forwarder.example</domain><result>softfail</result></spf></auth_results>
                  </record>
                </feedback>
                """);

        assertThat(report.metadata()).isEqualTo(new ReportMetadata("Mail Receiver Inc.", "dmarc-noreply@receiver.example",
                "https://receiver.example/dmarc", "17463728190012", Instant.parse("2023-11-15T00:00:00Z"), Instant.parse("2023-11-15T23:59:59Z"),
                List.of("one record of yours could not be parsed")));
        assertThat(report.policy()).isEqualTo(new PolicyPublished("news.clienta.example", Alignment.Mode.STRICT, Alignment.Mode.RELAXED,
                DmarcRecord.Policy.QUARANTINE, DmarcRecord.Policy.REJECT, 50, "1"));
        assertThat(report.records()).hasSize(2);
        assertThat(report.messageCount()).isEqualTo(123);

        var first = report.records().get(0);
        assertThat(first).isEqualTo(new ReportRecord("203.0.113.25", 120, Disposition.NONE, "pass", "pass", List.of(),
                "news.clienta.example", "rp.news.clienta.example", "inbox.example",
                List.of(new DkimResult("news.clienta.example", "mr1", "pass", "good signature"), new DkimResult("esp.example", "s2", "fail", null)),
                List.of(new SpfResult("rp.news.clienta.example", "mfrom", "pass")), true, true));
        assertThat(first.dmarcPass()).isTrue();

        var second = report.records().get(1);
        assertThat(second.disposition()).isEqualTo(Disposition.QUARANTINE);
        assertThat(second.dkim()).isEqualTo("fail");
        assertThat(second.reasons()).containsExactly(new PolicyOverride("forwarded", "looks like a list"), new PolicyOverride("local_policy", null));
        assertThat(second.envelopeFrom()).isNull();
        assertThat(second.dkimResults()).isEmpty();
        assertThat(second.spfResults()).containsExactly(new SpfResult("forwarder.example", null, "softfail"));
        assertThat(second.dmarcPass()).isFalse();
    }

    /** A record whose policy_evaluated results are given as {@code dkim} and {@code spf} (null leaves the element out). */
    private static String withRecord(String adkim, String aspf, String dkim, String spf, String authResults) {
        var evaluated = (dkim == null ? "" : "<dkim>" + dkim + "</dkim>") + (spf == null ? "" : "<spf>" + spf + "</spf>");
        return """
                <feedback>
                  <report_metadata><org_name>R</org_name><email>r@r.example</email><report_id>1</report_id>
                    <date_range><begin>0</begin><end>86400</end></date_range></report_metadata>
                  <policy_published><domain>news.clienta.example</domain><adkim>%s</adkim><aspf>%s</aspf><p>none</p></policy_published>
                  <record>
                    <row><source_ip>192.0.2.1</source_ip><count>1</count>
                      <policy_evaluated><disposition>none</disposition>%s</policy_evaluated></row>
                    <identifiers><header_from>news.clienta.example</header_from></identifiers>
                    <auth_results>%s</auth_results>
                  </record>
                </feedback>
                """.formatted(adkim, aspf, evaluated, authResults);
    }

    @Test
    void theReceiversPolicyEvaluatedResultsDecideAlignment() throws Exception {
        // the receiver says pass though the raw results show no aligned pass (e.g. it trusted an ARC chain), and fail though they do
        var unalignedPasses = "<dkim><domain>esp.example</domain><result>pass</result></dkim><spf><domain>esp.example</domain><result>pass</result></spf>";
        var record = parse(withRecord("r", "r", "pass", "pass", unalignedPasses)).records().getFirst();
        assertThat(record.dkimAligned()).isTrue();
        assertThat(record.spfAligned()).isTrue();

        var alignedPasses = "<dkim><domain>news.clienta.example</domain><result>pass</result></dkim>"
                + "<spf><domain>news.clienta.example</domain><result>pass</result></spf>";
        record = parse(withRecord("r", "r", "fail", "fail", alignedPasses)).records().getFirst();
        assertThat(record.dkimAligned()).isFalse();
        assertThat(record.spfAligned()).isFalse();
        assertThat(record.dmarcPass()).isFalse();
    }

    @Test
    void withoutPolicyEvaluatedResultsAlignmentIsWorkedOutUnderThePublishedModes() throws Exception {
        var organisational = "<dkim><domain>clienta.example</domain><result>pass</result></dkim>"
                + "<spf><domain>rp.news.clienta.example</domain><scope>mfrom</scope><result>pass</result></spf>";
        var relaxed = parse(withRecord("r", "r", null, null, organisational)).records().getFirst();
        assertThat(relaxed.dkim()).isNull();
        assertThat(relaxed.dkimAligned()).isTrue();
        assertThat(relaxed.spfAligned()).isTrue();

        var strict = parse(withRecord("s", "s", null, null, organisational)).records().getFirst();
        assertThat(strict.dkimAligned()).isFalse();
        assertThat(strict.spfAligned()).isFalse();

        // a failed signature and a HELO pass next to a MAIL FROM failure count for nothing
        var failures = "<dkim><domain>news.clienta.example</domain><result>fail</result></dkim>"
                + "<spf><domain>news.clienta.example</domain><scope>helo</scope><result>pass</result></spf>"
                + "<spf><domain>news.clienta.example</domain><scope>mfrom</scope><result>softfail</result></spf>";
        var failed = parse(withRecord("r", "r", null, null, failures)).records().getFirst();
        assertThat(failed.dkimAligned()).isFalse();
        assertThat(failed.spfAligned()).isFalse();

        // with no MAIL FROM result (a bounce's null reverse-path), HELO's stands in
        var heloOnly = "<spf><domain>mta.news.clienta.example</domain><scope>helo</scope><result>pass</result></spf>";
        assertThat(parse(withRecord("r", "r", null, null, heloOnly)).records().getFirst().spfAligned()).isTrue();
    }

    @Test
    void optionalFieldsMayBeMissing() throws Exception {
        var report = parse("""
                <feedback>
                  <report_metadata>
                    <org_name>Small Receiver</org_name><report_id>r-1</report_id>
                    <date_range><begin>1700006400</begin><end>1700092799</end></date_range>
                  </report_metadata>
                  <policy_published><domain>news.clienta.example</domain><p>reject</p></policy_published>
                  <record>
                    <row><source_ip>192.0.2.9</source_ip><count>0</count><policy_evaluated><disposition>reject</disposition></policy_evaluated></row>
                  </record>
                </feedback>
                """);
        assertThat(report.metadata().email()).isNull();
        assertThat(report.metadata().extraContactInfo()).isNull();
        assertThat(report.metadata().errors()).isEmpty();
        assertThat(report.policy()).isEqualTo(new PolicyPublished("news.clienta.example", Alignment.Mode.RELAXED, Alignment.Mode.RELAXED,
                DmarcRecord.Policy.REJECT, DmarcRecord.Policy.REJECT, null, null));
        assertThat(report.records()).containsExactly(new ReportRecord("192.0.2.9", 0, Disposition.REJECT, null, null, List.of(),
                null, null, null, List.of(), List.of(), false, false));
    }

    @Test
    void aReportWithNoRecordsIsAReport() throws Exception {
        var report = parse(SampleReports.report("Quiet Receiver", "q-1", "news.clienta.example"));
        assertThat(report.records()).isEmpty();
        assertThat(report.messageCount()).isZero();
    }

    @Test
    void dmarcbisReportsReadAlikeAndUnknownElementsArePassedOver() throws Exception {
        var report = parse("""
                <?xml version="1.0"?>
                <feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0" xmlns:ext="https://ext.example/arc">
                  <version>1.0</version>
                  <report_metadata>
                    <org_name>Bis Receiver</org_name><email>r@bis.example</email><report_id><![CDATA[bis-1]]></report_id>
                    <date_range><begin>1700006400</begin><end>1700092799</end></date_range>
                    <generator>receiver 2.1</generator>
                  </report_metadata>
                  <policy_published>
                    <domain>news.clienta.example</domain><p>quarantine</p><sp>none</sp><testing>n</testing><discovery_method>treewalk</discovery_method>
                  </policy_published>
                  <extension><ext:arc-override>never</ext:arc-override></extension>
                  <!-- a comment between records -->
                  <record>
                    <row><source_ip>2001:DB8:0:0:0:0:0:1</source_ip><count>7</count>
                      <policy_evaluated><disposition>pass</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>
                    <identifiers><envelope_from>rp.news.clienta.example</envelope_from><header_from>news.clienta.example</header_from></identifiers>
                    <auth_results><dkim><domain>news.clienta.example</domain><selector>mr1</selector><result>pass</result></dkim>
                      <spf><domain>rp.news.clienta.example</domain><scope>mfrom</scope><result>fail</result><human_result>no match</human_result></spf>
                    </auth_results>
                    <ext:arc-results><ext:chain>pass</ext:chain></ext:arc-results>
                  </record>
                </feedback>
                """);
        assertThat(report.metadata().reportId()).isEqualTo("bis-1");
        assertThat(report.policy().pct()).isNull();
        assertThat(report.policy().sp()).isEqualTo(DmarcRecord.Policy.NONE);
        var record = report.records().getFirst();
        assertThat(record.sourceIp()).isEqualTo("2001:db8::1");
        assertThat(record.disposition()).isEqualTo(Disposition.PASS);
        assertThat(record.dmarcPass()).isTrue();
    }

    @Test
    void anIpv4MappedSourceIsItsIpv4Address() throws Exception {
        var xml = SampleReports.report("R", "1", "news.clienta.example",
                new SampleReports.Row("::ffff:192.0.2.44", 1, "none", "pass", "pass", "news.clienta.example"));
        assertThat(parse(xml).records().getFirst().sourceIp()).isEqualTo("192.0.2.44");
    }

    private static final String METADATA = "<report_metadata><org_name>R</org_name><report_id>1</report_id>"
            + "<date_range><begin>0</begin><end>86400</end></date_range></report_metadata>";
    private static final String POLICY = "<policy_published><domain>news.clienta.example</domain><p>none</p></policy_published>";

    private static String recordWith(String row) {
        return "<feedback>" + METADATA + POLICY + "<record><row>" + row + "</row></record></feedback>";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "<report><x/></report>| the root element is <report>",
            "<feedback>" + POLICY + "</feedback>| <report_metadata> is missing",
            "<feedback>" + METADATA + "</feedback>| <policy_published> is missing",
            "<feedback>" + METADATA + METADATA + POLICY + "</feedback>| <report_metadata> appears twice",
            "<feedback>" + METADATA + "<record/>" + POLICY + "</feedback>| a <record> comes before <policy_published>",
            "<feedback><report_metadata><org_name>R</org_name><date_range><begin>0</begin><end>1</end></date_range></report_metadata>"
                    + POLICY + "</feedback>| report_metadata/report_id is missing",
            "<feedback><report_metadata><org_name>R</org_name><report_id>1</report_id><date_range><begin>9</begin><end>1</end></date_range>"
                    + "</report_metadata>" + POLICY + "</feedback>| report_metadata/date_range ends",
            "<feedback><report_metadata><org_name>R</org_name><report_id>1</report_id><date_range><begin>yesterday</begin><end>1</end>"
                    + "</date_range></report_metadata>" + POLICY + "</feedback>| report_metadata/date_range/begin must be seconds since 1970",
            "<feedback>" + METADATA + "<policy_published><domain>d.example</domain><p>maybe</p></policy_published></feedback>"
                    + "| policy_published/p must be one of none, quarantine, reject, got 'maybe'",
            "<feedback>" + METADATA + "<policy_published><domain>d.example</domain><p>none</p><pct>150</pct></policy_published></feedback>"
                    + "| policy_published/pct must be a whole number from 0 to 100",
            "<feedback>" + METADATA + "<policy_published><domain>d.example</domain><p>none</p><adkim>x</adkim></policy_published></feedback>"
                    + "| policy_published/adkim must be r or s",
            "<feedback>" + METADATA + "<policy_published><p>none</p></policy_published></feedback>| policy_published/domain is missing",
            "<feedback>" + METADATA + POLICY + "<record><identifiers/></record></feedback>| record 1: row is missing",
    })
    void refusesWhatIsNotAReport(String xml, String detail) {
        var refusal = refusal(xml);
        assertThat(refusal.reason()).isEqualTo(Refusal.INVALID_REPORT);
        assertThat(refusal.getMessage()).contains(detail.strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<source_ip>mail.example.net</source_ip><count>1</count><policy_evaluated><disposition>none</disposition></policy_evaluated>"
                    + "| record 1: row/source_ip is not an IPv4 or IPv6 address: 'mail.example.net'",
            "<source_ip>fe80::1%eth0</source_ip><count>1</count><policy_evaluated><disposition>none</disposition></policy_evaluated>"
                    + "| record 1: row/source_ip is not an IPv4 or IPv6 address",
            "<source_ip>192.0.2.1</source_ip><count>-4</count><policy_evaluated><disposition>none</disposition></policy_evaluated>"
                    + "| record 1: row/count must be a whole number of 0 or more, got '-4'",
            "<source_ip>192.0.2.1</source_ip><count>99999999999999999999</count><policy_evaluated><disposition>none</disposition></policy_evaluated>"
                    + "| record 1: row/count must be a whole number",
            "<source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>bounce</disposition></policy_evaluated>"
                    + "| record 1: row/policy_evaluated/disposition must be one of none, pass, quarantine, reject, got 'bounce'",
            "<source_ip>192.0.2.1</source_ip><count>1</count>| record 1: row/policy_evaluated is missing",
            "<count>1</count><policy_evaluated><disposition>none</disposition></policy_evaluated>| record 1: row/source_ip is missing",
    })
    void refusesARecordThatIsNotOne(String row, String detail) {
        var refusal = refusal(recordWith(row));
        assertThat(refusal.reason()).isEqualTo(Refusal.INVALID_REPORT);
        assertThat(refusal.getMessage()).contains(detail.strip());
    }

    @Test
    void countsThatAddUpPastWhatALongHoldsAreRefused() {
        var row = "<source_ip>192.0.2.1</source_ip><count>999999999999999999</count><policy_evaluated><disposition>none</disposition></policy_evaluated>";
        var records = ("<record><row>" + row + "</row></record>").repeat(10);
        var refusal = refusal("<feedback>" + METADATA + POLICY + records + "</feedback>");
        assertThat(refusal.getMessage()).contains("counts add up to more than a report can hold");
    }

    @Test
    void valuesBeyondTheirLengthAndListsBeyondAHundredAreRefused() {
        var longName = "<feedback><report_metadata><org_name>" + "x".repeat(256) + "</org_name><report_id>1</report_id>"
                + "<date_range><begin>0</begin><end>1</end></date_range></report_metadata>" + POLICY + "</feedback>";
        assertThat(refusal(longName).getMessage()).isEqualTo("report_metadata/org_name is longer than 255 characters");

        var manyResults = "<feedback>" + METADATA + POLICY + "<record><row><source_ip>192.0.2.1</source_ip><count>1</count>"
                + "<policy_evaluated><disposition>none</disposition></policy_evaluated></row><auth_results>"
                + "<dkim><domain>d.example</domain><result>pass</result></dkim>".repeat(101) + "</auth_results></record></feedback>";
        assertThat(refusal(manyResults).getMessage()).isEqualTo("record 1: auth_results/dkim appears 101 times; at most 100 are read");

        var deep = "<feedback>" + METADATA + POLICY + "<extension>" + "<a>".repeat(20) + "</a>".repeat(20) + "</extension></feedback>";
        assertThat(parseUnchecked(deep)).isNotNull(); // passed over unread
        var deepRecord = "<feedback>" + METADATA + POLICY + "<record>" + "<a>".repeat(20) + "</a>".repeat(20) + "</record></feedback>";
        assertThat(refusal(deepRecord).getMessage()).isEqualTo("elements nest more than 16 deep");
    }

    private static AggregateReport parseUnchecked(String xml) {
        try {
            return parse(xml);
        } catch (ReportRefused e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<feedback><report_metadata></feedback>",
            "<feedback></feedback><feedback></feedback>",
            "<feedback>&undeclared;</feedback>",
            "not xml at all",
            "<feedback>",
    })
    void malformedXmlIsRefusedSayingWhereItBroke(String xml) {
        var refusal = refusal(xml);
        assertThat(refusal.reason()).isEqualTo(Refusal.MALFORMED_XML);
        assertThat(refusal.getMessage()).startsWith("the XML is not well-formed: ").contains("[row,col]").doesNotContain("\n");
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileNeverRead() throws Exception {
        var secret = Files.writeString(dir.resolve("secret.txt"), "the-secret-is-" + System.nanoTime());
        var xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE feedback [ <!ENTITY xxe SYSTEM "%s"> ]>
                <feedback><report_metadata><org_name>&xxe;</org_name><report_id>1</report_id>
                  <date_range><begin>0</begin><end>1</end></date_range></report_metadata>%s</feedback>
                """.formatted(secret.toUri(), POLICY);
        var refusal = refusal(xxe);
        assertThat(refusal.reason()).isEqualTo(Refusal.DOCTYPE);
        assertThat(refusal.getMessage()).doesNotContain(Files.readString(secret));
    }

    @Test
    void noDtdOrEntityIsFetchedFromTheNetwork() throws Exception {
        var requests = new AtomicInteger();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            var body = "<!ENTITY leak 'fetched'>".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            var base = "http://127.0.0.1:" + server.getAddress().getPort();
            for (var xml : List.of(
                    "<!DOCTYPE feedback SYSTEM \"" + base + "/report.dtd\"><feedback/>",
                    "<!DOCTYPE feedback [ <!ENTITY % remote SYSTEM \"" + base + "/p.dtd\"> %remote; ]><feedback>&leak;</feedback>",
                    "<!DOCTYPE feedback [ <!ENTITY x SYSTEM \"" + base + "/x\"> ]><feedback>&x;</feedback>")) {
                assertThat(refusal(xml).reason()).isEqualTo(Refusal.DOCTYPE);
            }
        } finally {
            server.stop(0);
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void billionLaughsIsRefusedBeforeAnythingExpands() {
        var lol = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n <!ENTITY lol0 \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            lol.append(" <!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        lol.append("]>\n<feedback>&lol9;</feedback>\n");
        long started = System.nanoTime();
        var refusal = refusal(lol.toString());
        assertThat(refusal.reason()).isEqualTo(Refusal.DOCTYPE);
        assertThat(refusal.getMessage()).contains("document type declaration");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void textAfterTheReportIsFineButASecondReportIsNot() {
        var report = SampleReports.report("R", "1", "news.clienta.example") + "<!-- trailer -->\n";
        assertThat(parseUnchecked(report).metadata().orgName()).isEqualTo("R");
        assertThatThrownBy(() -> parse(report + "<feedback/>")).isInstanceOf(ReportRefused.class)
                .extracting(e -> ((ReportRefused) e).reason()).isEqualTo(Refusal.MALFORMED_XML);
    }
}
