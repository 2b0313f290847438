package dev.mailroom.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header fields of a message someone else wrote (SMTP submission), to read and amend before
 * signing: fields keep their exact bytes and folding, the body is never touched. Bytes are read
 * as ISO-8859-1 so that 8-bit (SMTPUTF8) header text survives unchanged.
 */
public final class HeaderBlock {
    private static final byte[] CRLF = {'\r', '\n'};
    private final List<Field> fields;
    private final byte[] message;
    private final int bodyStart;

    /** One field as written: {@code raw} is name, colon and value with its folding, without the final CRLF. */
    public record Field(String name, String raw) {
        /** The value unfolded, without the leading space. */
        public String value() {
            return raw.substring(raw.indexOf(':') + 1).replace("\r\n", "").strip();
        }
    }

    private HeaderBlock(List<Field> fields, byte[] message, int bodyStart) {
        this.fields = fields;
        this.message = message;
        this.bodyStart = bodyStart;
    }

    /** Splits a CRLF message at its first empty line; a line that is not a field ends the header there. */
    public static HeaderBlock parse(byte[] message) {
        var fields = new ArrayList<Field>();
        int position = 0;
        StringBuilder current = null;
        while (position < message.length) {
            int end = indexOfCrlf(message, position);
            int lineEnd = end < 0 ? message.length : end;
            var line = new String(message, position, lineEnd - position, StandardCharsets.ISO_8859_1);
            int next = end < 0 ? message.length : end + 2;
            if (line.isEmpty()) {
                position = next;
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else if (line.indexOf(':') > 0 && line.substring(0, line.indexOf(':')).matches("[!-9;-~]+")) {
                if (current != null) {
                    fields.add(field(current.toString()));
                }
                current = new StringBuilder(line);
            } else {
                break; // not a header line: the body starts here, without a separating empty line
            }
            position = next;
        }
        if (current != null) {
            fields.add(field(current.toString()));
        }
        return new HeaderBlock(fields, message, Math.min(position, message.length));
    }

    public List<Field> fields() {
        return List.copyOf(fields);
    }

    /** Every value of a field, unfolded, in order (names compare case-insensitively). */
    public List<String> values(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
    }

    public boolean has(String name) {
        return fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name));
    }

    public void remove(String name) {
        fields.removeIf(f -> f.name().equalsIgnoreCase(name));
    }

    /** Adds a field after the existing ones; the value must be one line of printable text. */
    public void add(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header value cannot contain a line break");
        }
        fields.add(new Field(name, HeaderText.field(name, value).stripTrailing()));
    }

    /** Adds a field before all others, where trace fields (Received) go. */
    public void prepend(String name, String value) {
        add(name, value);
        fields.add(0, fields.remove(fields.size() - 1));
    }

    /** The message with the amended header block and the original body bytes. */
    public byte[] toBytes() {
        var out = new ByteArrayOutputStream(message.length - bodyStart + 64 * fields.size() + 2);
        for (var field : fields) {
            out.writeBytes(field.raw().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
        out.write(message, bodyStart, message.length - bodyStart);
        return out.toByteArray();
    }

    private static Field field(String raw) {
        return new Field(raw.substring(0, raw.indexOf(':')), raw);
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "HeaderBlock" + Arrays.toString(fields.stream().map(Field::name).toArray());
    }
}
