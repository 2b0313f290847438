package dev.mailroom.feedback.dmarc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/**
 * Turns a report attachment into its XML. The format is told by the first bytes, never by the
 * content type or file name the sender gave (reporters label gzip {@code application/octet-stream}
 * and worse): XML as it is, gzip (RFC 1952), or zip holding one {@code .xml} file. Compressed data
 * is inflated into a buffer that stops at the limit, so a decompression bomb costs the limit in
 * memory and the time to inflate that much, never more.
 */
final class Unpacker {
    /** A plain file name: no directories, no {@code ..}, nothing a file system would read as a path. */
    private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+!=@,_-]{0,250}\\.xml", Pattern.CASE_INSENSITIVE);

    /**
     * How large an attachment may be, and how much XML it may hold: at most {@code maxXmlBytes},
     * and at most {@code maxRatio} times the attachment's size (but {@code ratioFloorBytes} always).
     * DMARC reports compress about 10 to 30 to 1; zeros, the stuff of bombs, about 1000 to 1.
     */
    record Limits(int maxAttachmentBytes, int maxXmlBytes, int maxRatio, int ratioFloorBytes) {
        static final Limits DEFAULT = new Limits(10 << 20, 20 << 20, 100, 1 << 20);

        int maxXmlFor(int attachmentBytes) {
            return (int) Math.min(maxXmlBytes, Math.max(ratioFloorBytes, (long) maxRatio * attachmentBytes));
        }
    }

    private Unpacker() {}

    static byte[] xml(byte[] attachment, Limits limits) throws ReportRefused {
        if (attachment.length > limits.maxAttachmentBytes()) {
            throw new ReportRefused(Refusal.TOO_LARGE, "the attachment has " + attachment.length + " bytes; reports of up to "
                    + limits.maxAttachmentBytes() + " bytes are read");
        }
        int limit = limits.maxXmlFor(attachment.length);
        if (startsWith(attachment, 0x1f, 0x8b)) {
            return xmlOnly(gunzip(attachment, limit), "the gzip data");
        }
        if (startsWith(attachment, 'P', 'K', 3, 4) || startsWith(attachment, 'P', 'K', 5, 6)) {
            return xmlOnly(unzip(attachment, limit), "the zip entry");
        }
        return xmlOnly(attachment, "the attachment");
    }

    private static byte[] gunzip(byte[] attachment, int limit) throws ReportRefused {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(attachment))) {
            return inflated(upTo(in, limit), "the gzip data", attachment.length, limit);
        } catch (IOException e) {
            throw new ReportRefused(Refusal.BAD_ARCHIVE, "the gzip data is damaged: " + e.getMessage());
        }
    }

    private static byte[] unzip(byte[] attachment, int limit) throws ReportRefused {
        try (var zip = new ZipInputStream(new ByteArrayInputStream(attachment))) {
            var entry = zip.getNextEntry();
            if (entry == null) {
                throw new ReportRefused(Refusal.BAD_ARCHIVE, "the zip archive is empty; a report is one .xml file in it");
            }
            if (!ENTRY_NAME.matcher(entry.getName()).matches()) {
                throw new ReportRefused(Refusal.BAD_ARCHIVE, "the zip entry '" + printable(entry.getName())
                        + "' is not a plain file name ending in .xml (no directories or paths)");
            }
            var xml = inflated(upTo(zip, limit), "the zip entry " + entry.getName(), attachment.length, limit);
            if (zip.getNextEntry() != null) {
                throw new ReportRefused(Refusal.BAD_ARCHIVE, "the zip archive has more than one entry; a report is one .xml file");
            }
            return xml;
        } catch (IOException e) {
            throw new ReportRefused(Refusal.BAD_ARCHIVE, "the zip archive is damaged or uses what is not read here (encryption): "
                    + e.getMessage());
        }
    }

    private static byte[] inflated(byte[] data, String what, int attachmentBytes, int limit) throws ReportRefused {
        if (data == null) {
            throw new ReportRefused(Refusal.DECOMPRESSION_LIMIT, what + " expands past " + limit + " bytes, the most a "
                    + attachmentBytes + "-byte attachment may hold");
        }
        return data;
    }

    /**
     * Everything {@code in} holds if that is at most {@code limit} bytes; null, having read
     * {@code limit + 1} bytes and no more, if it holds more.
     */
    static byte[] upTo(InputStream in, int limit) throws IOException {
        var out = new ByteArrayOutputStream(Math.min(limit + 1, 64 << 10));
        var buffer = new byte[64 << 10];
        int total = 0;
        while (total <= limit) {
            int read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - total));
            if (read < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, read);
            total += read;
        }
        return null;
    }

    /** XML starts with '<' after an optional byte order mark and white space; anything else (an archive in an archive) is refused. */
    private static byte[] xmlOnly(byte[] data, String what) throws ReportRefused {
        int start = 0;
        if (startsWith(data, 0xef, 0xbb, 0xbf)) {
            start = 3;
        } else if (startsWith(data, 0xfe, 0xff) || startsWith(data, 0xff, 0xfe)) {
            return data; // UTF-16: the parser reads the mark
        }
        while (start < data.length && (data[start] == ' ' || data[start] == '\t' || data[start] == '\r' || data[start] == '\n')) {
            start++;
        }
        if (start < data.length && data[start] == '<') {
            return data;
        }
        throw new ReportRefused(Refusal.UNSUPPORTED_FORMAT, what + (data.length == 0 ? " is empty"
                : " is not XML, gzip or zip (it starts with " + hex(data) + "); a report is XML, alone, gzipped or zipped"));
    }

    private static boolean startsWith(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] data) {
        var text = new StringBuilder();
        for (int i = 0; i < Math.min(4, data.length); i++) {
            text.append(String.format(Locale.ROOT, "%02x", data[i] & 0xff));
        }
        return text.toString();
    }

    private static String printable(String name) {
        var cut = name.length() > 100 ? name.substring(0, 100) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
