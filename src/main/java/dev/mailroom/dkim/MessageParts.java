package dev.mailroom.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A message split into header fields (raw, folding kept) and body, as DKIM canonicalizes them.
 * Bytes are read as ISO-8859-1 so that every octet survives unchanged; bare LF line ends are
 * read as CRLF, the form mail takes on the wire.
 */
record MessageParts(List<HeaderField> headers, String body) {
    /** One header field as it appears: {@code raw} is name, colon and value with folding, without the final CRLF. */
    record HeaderField(String name, String raw) {
        String value() {
            return raw.substring(raw.indexOf(':') + 1);
        }
    }

    static MessageParts parse(byte[] message) {
        var text = toCrlf(new String(message, StandardCharsets.ISO_8859_1));
        int end = text.indexOf("\r\n\r\n");
        String head;
        String body;
        if (text.startsWith("\r\n")) {
            head = "";
            body = text.substring(2);
        } else if (end < 0) {
            head = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
            body = "";
        } else {
            head = text.substring(0, end);
            body = text.substring(end + 4);
        }
        var headers = new ArrayList<HeaderField>();
        if (!head.isEmpty()) {
            var current = new StringBuilder();
            for (var line : head.split("\r\n", -1)) {
                if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && !current.isEmpty()) {
                    current.append("\r\n").append(line);
                } else {
                    add(headers, current);
                    current.setLength(0);
                    current.append(line);
                }
            }
            add(headers, current);
        }
        return new MessageParts(List.copyOf(headers), body);
    }

    private static void add(List<HeaderField> headers, StringBuilder field) {
        int colon = field.indexOf(":");
        if (colon > 0) {
            headers.add(new HeaderField(field.substring(0, colon).strip(), field.toString()));
        }
    }

    static String toCrlf(String text) {
        if (!hasBareLf(text)) {
            return text; // the usual case (SMTP and composed mail are CRLF already): no copy
        }
        var result = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) {
                result.append('\r');
            }
            result.append(c);
        }
        return result.toString();
    }

    private static boolean hasBareLf(String text) {
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            if (i == 0 || text.charAt(i - 1) != '\r') {
                return true;
            }
        }
        return false;
    }

    /**
     * The header fields to sign or verify for a list of names, each name taking the next
     * occurrence from the bottom up (RFC 6376 5.4.2); a name with no occurrence left is null
     * and contributes nothing, which is how over-signing works.
     */
    List<HeaderField> select(List<String> names) {
        var used = new boolean[headers.size()];
        var selected = new ArrayList<HeaderField>();
        for (var name : names) {
            HeaderField match = null;
            for (int i = headers.size() - 1; i >= 0; i--) {
                if (!used[i] && headers.get(i).name().equalsIgnoreCase(name)) {
                    used[i] = true;
                    match = headers.get(i);
                    break;
                }
            }
            selected.add(match);
        }
        return selected;
    }
}
