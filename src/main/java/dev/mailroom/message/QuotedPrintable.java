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
                // white space at the end of a line and '=' must be encoded, as must anything outside printable ASCII
                // a dot opening a line is encoded too, so no transport's dot handling can touch it
                boolean dotOpeningLine = b == '.' && lineLength == 0;
                boolean literal = (b >= 33 && b <= 126 && b != '=' && !dotOpeningLine) || ((b == ' ' || b == '\t') && !last);
                var piece = literal ? String.valueOf((char) b) : "=" + HEX[b >> 4] + HEX[b & 15];
                if (lineLength + piece.length() > LINE - 1) {
                    out.append("=\r\n");
                    lineLength = 0;
                }
                out.append(piece);
                lineLength += piece.length();
            }
            if (l < lines.length - 1) {
                out.append("\r\n");
            }
        }
        return out.toString();
    }
}
