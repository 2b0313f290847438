package dev.mailroom.feedback;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * A received report (a bounce, a complaint) read with Mime4j: its parts by content type, and the
 * field groups of machine-readable parts (RFC 3464 delivery-status, RFC 5965 feedback-report), which
 * are header fields in blocks separated by blank lines.
 */
final class ReportParts {
    /** Parts kept at most, and bytes of a part read at most: a report is small, a hostile one is not. */
    private static final int MAX_PARTS = 50;
    private static final int MAX_CONTENT_TYPES = 200;
    private final Message message;
    private final List<Entity> parts = new ArrayList<>();

    private ReportParts(Message message) {
        this.message = message;
        collect(message);
    }

    static ReportParts parse(byte[] bytes) {
        // Mime4j builds the whole tree before MAX_PARTS applies and has no depth limit: a message of
        // thousands of (nested) parts is refused before it is parsed
        if (contentTypeFields(bytes) > MAX_CONTENT_TYPES) {
            throw new IllegalArgumentException("the message has more than " + MAX_CONTENT_TYPES + " parts");
        }
        var config = MimeConfig.custom().setMaxHeaderCount(500).setMaxLineLen(100_000).setMaxHeaderLen(100_000).build();
        var builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(config);
        try {
            return new ReportParts(builder.parseMessage(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("the report cannot be read as a message", e);
        }
    }

    /** Header lines naming a Content-Type: one per part, at most, whatever the nesting. */
    private static int contentTypeFields(byte[] bytes) {
        var marker = "\ncontent-type:".getBytes(StandardCharsets.US_ASCII);
        int count = 0;
        outer:
        for (int i = 0; i + marker.length <= bytes.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                int b = bytes[i + j];
                if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != marker[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    private void collect(Entity entity) {
        if (parts.size() >= MAX_PARTS) {
            return;
        }
        parts.add(entity);
        if (entity.getBody() instanceof Multipart multipart) {
            multipart.getBodyParts().forEach(this::collect);
        }
    }

    /** {@code multipart/report; report-type=<type>} at the top (delivery-status for a DSN, feedback-report for ARF). */
    boolean isReport(String type) {
        return message.getMimeType().equalsIgnoreCase("multipart/report")
                && type.equalsIgnoreCase(Optional.ofNullable(message.getHeader().getField("Content-Type"))
                        .map(field -> parameter(field.getBody(), "report-type")).orElse(""));
    }

    /** The decoded content of the first part of one of these types. */
    Optional<String> text(String... mimeTypes) {
        for (var part : parts) {
            for (var type : mimeTypes) {
                if (part.getMimeType().equalsIgnoreCase(type)) {
                    return Optional.of(new String(content(part), StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }

    /** Every text/plain part, decoded, one after the other (where non-standard bounces say what happened). */
    String plainText() {
        var text = new StringBuilder();
        for (var part : parts) {
            if (part.getMimeType().equalsIgnoreCase("text/plain") && !(part.getBody() instanceof Multipart)) {
                text.append(new String(content(part), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return text.toString();
    }

    /** A leaf part: its type, file name (null when it has none) and decoded content. */
    record Attachment(String mimeType, String filename, byte[] content) {}

    /** Every part that is not a multipart, decoded, each read up to {@code maxBytes}. */
    List<Attachment> leaves(int maxBytes) {
        var leaves = new ArrayList<Attachment>();
        for (var part : parts) {
            if (!(part.getBody() instanceof Multipart)) {
                leaves.add(new Attachment(part.getMimeType(), part.getFilename(), content(part, maxBytes)));
            }
        }
        return leaves;
    }

    /** The top message's header field, if any. */
    Optional<String> header(String name) {
        return Optional.ofNullable(message.getHeader().getField(name)).map(field -> field.getBody().strip());
    }

    private static byte[] content(Entity part) {
        return content(part, 1 << 20);
    }

    private static byte[] content(Entity part, int maxBytes) {
        try {
            if (part.getBody() instanceof SingleBody single) {
                try (var in = single.getInputStream()) {
                    return in.readNBytes(maxBytes);
                }
            }
            if (part.getBody() instanceof Message nested) {
                var out = new ByteArrayOutputStream();
                new DefaultMessageWriter().writeMessage(nested, out);
                return out.toByteArray();
            }
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Field groups: blocks of {@code Name: value} lines (continuations folded in) separated by blank
     * lines; names in lower case, the first value of a name kept.
     */
    static List<Map<String, String>> fieldGroups(String text) {
        var groups = new ArrayList<Map<String, String>>();
        var group = new LinkedHashMap<String, String>();
        String last = null;
        for (var line : text.split("\r?\n")) {
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    groups.add(group);
                    group = new LinkedHashMap<>();
                }
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                group.put(last, group.get(last) + " " + line.strip());
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    group.putIfAbsent(last, line.substring(colon + 1).strip());
                }
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    private static String parameter(String contentType, String name) {
        for (var piece : contentType.split(";")) {
            var pair = piece.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase(name)) {
                return pair[1].strip().replace("\"", "");
            }
        }
        return "";
    }
}
