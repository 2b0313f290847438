package dev.mailroom.message;

import java.nio.charset.StandardCharsets;

/** Quoted-printable (RFC 2045 6.7) for text parts: lines of at most 76 characters, CRLF line ends kept as such. */
final class QuotedPrintable {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int LINE = 76;

    private QuotedPrintable() {}

    static String encode(String text) {
        var out = new StringBuilder(text.length() + text.length() / 8);
        var lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            var bytes = lines[l].getBytes(StandardCharsets.UTF_8);
            int lineLength = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                // white space at the end of a line and '=' must be encoded, as must anything outside printable ASCII;
                // a dot opening a line is encoded too, so no transport's dot handling can touch it
                boolean plain = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                boolean literal = plain && !(b == '.' && lineLength == 0);
                if (lineLength + (literal ? 1 : 3) > LINE - 1) {
                    out.append("=\r\n");
                    lineLength = 0;
                    literal = plain && b != '.';
                }
                if (literal) {
                    out.append((char) b);
                    lineLength++;
                } else {
                    out.append('=').append(HEX[b >> 4]).append(HEX[b & 15]);
                    lineLength += 3;
                }
            }
            if (l < lines.length - 1) {
                out.append("\r\n");
            }
        }
        return out.toString();
    }
}
