package dev.mailroom.feedback.dmarc;

import static dev.mailroom.feedback.dmarc.SampleReports.bytes;
import static dev.mailroom.feedback.dmarc.SampleReports.gzip;
import static dev.mailroom.feedback.dmarc.SampleReports.zip;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Attachments to XML: formats told by their bytes, and the limits that stop bombs and tricks. */
class DmarcUnpackerTest {
    private static final byte[] XML = bytes(SampleReports.report("R", "1", "news.clienta.example",
            new SampleReports.Row("192.0.2.1", 5, "none", "pass", "pass", "news.clienta.example")));
    private static final Unpacker.Limits LIMITS = Unpacker.Limits.DEFAULT;

    private static ReportRefused refusal(byte[] attachment) {
        try {
            Unpacker.xml(attachment, LIMITS);
        } catch (ReportRefused e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void xmlGzipAndZipAreToldByTheirBytes() throws Exception {
        assertThat(Unpacker.xml(XML, LIMITS)).isEqualTo(XML);
        assertThat(Unpacker.xml(gzip(XML), LIMITS)).isEqualTo(XML);
        assertThat(Unpacker.xml(zip("receiver.example!news.clienta.example!1700006400!1700092799.xml", XML), LIMITS)).isEqualTo(XML);
        var withMark = new ByteArrayOutputStream();
        withMark.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '\r', '\n'});
        withMark.write(XML);
        assertThat(Unpacker.xml(withMark.toByteArray(), LIMITS)).isEqualTo(withMark.toByteArray());
    }

    @Test
    void whatIsNeitherXmlGzipNorZipIsRefused() {
        var pdf = refusal("%PDF-1.7 ...".getBytes());
        assertThat(pdf.reason()).isEqualTo(Refusal.UNSUPPORTED_FORMAT);
        assertThat(pdf.getMessage()).isEqualTo("the attachment is not XML, gzip or zip (it starts with 25504446); a report is XML, alone, gzipped or zipped");
        assertThat(refusal(new byte[0]).getMessage()).isEqualTo("the attachment is empty");
        // an archive inside an archive is not XML either
        assertThat(refusal(gzip(gzip(XML))).getMessage()).startsWith("the gzip data is not XML, gzip or zip (it starts with 1f8b");
        assertThat(refusal(zip("report.xml", zip("inner.xml", XML))).getMessage()).startsWith("the zip entry is not XML, gzip or zip (it starts with 504b0304");
    }

    @Test
    void anAttachmentLargerThanTenMegabytesIsRefusedUnread() {
        var big = new byte[LIMITS.maxAttachmentBytes() + 1];
        big[0] = '<';
        var refusal = refusal(big);
        assertThat(refusal.reason()).isEqualTo(Refusal.TOO_LARGE);
        assertThat(refusal.getMessage()).isEqualTo("the attachment has 10485761 bytes; reports of up to 10485760 bytes are read");
    }

    /** Writes {@code bytes} zeros to {@code out} a megabyte at a time, so that no test holds them. */
    private static void zeros(OutputStream out, long bytes) throws IOException {
        var megabyte = new byte[1 << 20];
        for (long written = 0; written < bytes; written += megabyte.length) {
            out.write(megabyte, 0, (int) Math.min(megabyte.length, bytes - written));
        }
    }

    @Test
    void aGigabyteOfZerosInGzipIsRefusedAtTheLimit() throws Exception {
        var compressed = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(compressed, 1 << 16)) {
            zeros(gzip, 1L << 30);
        }
        assertThat(compressed.size()).isLessThan(LIMITS.maxAttachmentBytes()); // about a megabyte: it gets past the size check
        var refusal = refusal(compressed.toByteArray());
        assertThat(refusal.reason()).isEqualTo(Refusal.DECOMPRESSION_LIMIT);
        assertThat(refusal.getMessage()).startsWith("the gzip data expands past 20971520 bytes");
    }

    @Test
    void aGigabyteOfZerosInZipIsRefusedAtTheLimit() throws Exception {
        var compressed = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(compressed)) {
            zip.putNextEntry(new ZipEntry("report.xml"));
            zeros(zip, 1L << 30);
            zip.closeEntry();
        }
        var refusal = refusal(compressed.toByteArray());
        assertThat(refusal.reason()).isEqualTo(Refusal.DECOMPRESSION_LIMIT);
        assertThat(refusal.getMessage()).startsWith("the zip entry report.xml expands past 20971520 bytes");
    }

    @Test
    void aSmallAttachmentMayNotExpandAHundredfoldPastAMegabyte() throws Exception {
        // 3 MB of XML-like text compresses to a few kilobytes: far past 100 times its size, though under 20 MB
        var text = new ByteArrayOutputStream();
        text.write("<feedback>".getBytes());
        text.write(" ".repeat(3 << 20).getBytes());
        text.write("</feedback>".getBytes());
        var compressed = gzip(text.toByteArray());
        var refusal = refusal(compressed);
        assertThat(refusal.reason()).isEqualTo(Refusal.DECOMPRESSION_LIMIT);
        assertThat(refusal.getMessage()).isEqualTo("the gzip data expands past 1048576 bytes, the most a " + compressed.length
                + "-byte attachment may hold");

        // while a report of ordinary ratio passes however small
        assertThat(Unpacker.xml(gzip(XML), LIMITS)).isEqualTo(XML);
    }

    @Test
    void readingStopsAtTheLimitRatherThanAfter() throws Exception {
        var pulled = new long[1];
        var endless = new InputStream() {
            @Override
            public int read() {
                pulled[0]++;
                return 0;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                Arrays.fill(buffer, offset, offset + length, (byte) 0);
                pulled[0] += length;
                return length;
            }
        };
        assertThat(Unpacker.upTo(endless, 1000)).isNull();
        assertThat(pulled[0]).isEqualTo(1001);
        assertThat(Unpacker.upTo(InputStream.nullInputStream(), 1000)).isEmpty();
        assertThat(Unpacker.upTo(new java.io.ByteArrayInputStream(new byte[1000]), 1000)).hasSize(1000);
    }

    @Test
    void aZipOfSeveralEntriesIsRefused() {
        var refusal = refusal(zip("a.xml", XML, "b.xml", XML));
        assertThat(refusal.reason()).isEqualTo(Refusal.BAD_ARCHIVE);
        assertThat(refusal.getMessage()).isEqualTo("the zip archive has more than one entry; a report is one .xml file");

        var many = new Object[2000];
        for (int i = 0; i < 1000; i++) {
            many[2 * i] = "r" + i + ".xml";
            many[2 * i + 1] = XML;
        }
        assertThat(refusal(zip(many)).reason()).isEqualTo(Refusal.BAD_ARCHIVE);
        assertThat(refusal(zip()).getMessage()).isEqualTo("the zip archive is empty; a report is one .xml file in it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/cron.d/report.xml", "/etc/report.xml", "reports/report.xml", "..\\report.xml", "C:report.xml",
            "report.xml\u0000.txt", "report.txt", ".xml", "report.xml/"})
    void aZipEntryThatIsNotAPlainXmlFileNameIsRefused(String name) {
        var refusal = refusal(zip(name, XML));
        assertThat(refusal.reason()).isEqualTo(Refusal.BAD_ARCHIVE);
        assertThat(refusal.getMessage()).startsWith("the zip entry '").endsWith("' is not a plain file name ending in .xml (no directories or paths)")
                .doesNotContain("\u0000");
    }

    @Test
    void damagedDataIsRefused() {
        var gzip = gzip(XML);
        var truncated = refusal(Arrays.copyOf(gzip, gzip.length / 2));
        assertThat(truncated.reason()).isEqualTo(Refusal.BAD_ARCHIVE);
        assertThat(truncated.getMessage()).startsWith("the gzip data is damaged: ");

        var zip = zip("report.xml", XML);
        var broken = Arrays.copyOf(zip, zip.length);
        for (int i = 40; i < 60; i++) {
            broken[i] ^= 0x5a; // inside the deflated data
        }
        assertThat(refusal(broken).reason()).isIn(Refusal.BAD_ARCHIVE, Refusal.UNSUPPORTED_FORMAT);
    }
}
