package dev.mailroom.dkim;

import java.util.Locale;
import java.util.regex.Pattern;

/** The two DKIM canonicalization algorithms (RFC 6376 3.4), for header fields and for the body. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    private static final Pattern WSP_RUN = Pattern.compile("[ \\t]+");

    public static Canonicalization fromTag(String tag) {
        return switch (tag) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new IllegalArgumentException("unknown canonicalization '" + tag + "'");
        };
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One header field in canonical form, ending with CRLF. */
    String header(MessageParts.HeaderField field) {
        return header(field.name(), field.raw()) + "\r\n";
    }

    /** One header field in canonical form, without the final CRLF (as the signature's own field is hashed). */
    String header(String name, String raw) {
        return switch (this) {
            case SIMPLE -> raw;
            case RELAXED -> {
                var value = raw.substring(raw.indexOf(':') + 1).replace("\r\n", "");
                value = WSP_RUN.matcher(value).replaceAll(" ").strip();
                yield name.toLowerCase(Locale.ROOT).strip() + ":" + value;
            }
        };
    }

    /** The body in canonical form: trailing empty lines removed, each line (relaxed) with white space folded. */
    String body(String body) {
        var text = body;
        if (this == RELAXED) {
            text = relaxLines(text);
        }
        // drop every empty line at the end, then end the last line with CRLF
        int end = text.length();
        while (end >= 2 && text.startsWith("\r\n", end - 2)) {
            end -= 2;
        }
        text = text.substring(0, end);
        if (text.isEmpty()) {
            return this == SIMPLE ? "\r\n" : "";
        }
        return text + "\r\n";
    }

    /**
     * Relaxed body lines (RFC 6376 3.4.4): runs of space and tab become one space, and white
     * space at the end of a line goes. One pass without regular expressions: this runs over
     * every byte of every message signed.
     */
    private static String relaxLines(String text) {
        var result = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                pendingSpace = true;
            } else {
                if (pendingSpace && !(c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')) {
                    result.append(' ');
                }
                pendingSpace = false;
                result.append(c);
            }
        }
        return result.toString();
    }
}
