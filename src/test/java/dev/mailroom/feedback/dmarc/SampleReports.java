package dev.mailroom.feedback.dmarc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-written aggregate reports, as receivers send them, and their gzip and zip forms. */
public final class SampleReports {
    private SampleReports() {}

    /** One record of {@link #report}: messages from a source with their policy_evaluated results and header_from. */
    public record Row(String ip, int count, String disposition, String dkim, String spf, String headerFrom) {
        String xml() {
            return """
                    <record>
                      <row>
                        <source_ip>%s</source_ip>
                        <count>%d</count>
                        <policy_evaluated><disposition>%s</disposition><dkim>%s</dkim><spf>%s</spf></policy_evaluated>
                      </row>
                      <identifiers><header_from>%s</header_from></identifiers>
                      <auth_results>
                        <dkim><domain>%s</domain><selector>mr1</selector><result>%s</result></dkim>
                        <spf><domain>rp.%s</domain><scope>mfrom</scope><result>%s</result></spf>
                      </auth_results>
                    </record>
                    """.formatted(ip, count, disposition, dkim, spf, headerFrom, headerFrom, dkim, headerFrom, spf);
        }
    }

    /** A report from {@code org} with id {@code reportId} on {@code domain}'s policy (p=none), with these rows. */
    public static String report(String org, String reportId, String domain, Row... rows) {
        return report(org, reportId, domain, 1700006400, 1700092799, rows);
    }

    /** As above, for the period from {@code begin} to {@code end} (seconds since 1970). */
    public static String report(String org, String reportId, String domain, long begin, long end, Row... rows) {
        var records = new StringBuilder();
        for (var row : rows) {
            records.append(row.xml());
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <feedback>
                  <version>1.0</version>
                  <report_metadata>
                    <org_name>%s</org_name>
                    <email>noreply-dmarc@%s</email>
                    <report_id>%s</report_id>
                    <date_range><begin>%d</begin><end>%d</end></date_range>
                  </report_metadata>
                  <policy_published>
                    <domain>%s</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>
                  </policy_published>
                %s</feedback>
                """.formatted(org, org, reportId, begin, end, domain, records);
    }

    public static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] data) {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A zip archive with these entries, names and contents in turn. */
    public static byte[] zip(Object... namesAndContents) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                zip.write((byte[]) namesAndContents[i + 1]);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
