package dev.mailroom.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a server's replies (RFC 5321 §4.2) off a connection, through one buffer of our own so that
 * the client can tell whether the server sent more than it was asked for. Whatever is not a reply
 * is a {@link ProtocolException}: no reply from a server can make {@link SmtpReply} refuse to exist.
 */
final class ReplyReader {
    /** RFC 5321 §4.5.3.1.5 allows 512 octets; real servers write longer texts, so be generous. */
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_LINES = 100;
    private final InputStream in;
    private final byte[] buffer = new byte[8 * 1024];
    private final byte[] line = new byte[MAX_LINE];
    private int pos;
    private int end;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next reply, whole. A multi-line reply repeats its code on every line; an enhanced status
     * code (RFC 3463) is taken from the start of its first line when it fits the reply's class,
     * whether or not the server advertised ENHANCEDSTATUSCODES, and is then removed from every
     * line that repeats it. One that does not fit stays in the text.
     */
    SmtpReply read() throws IOException {
        var lines = new ArrayList<String>();
        int code = 0;
        while (true) {
            var text = line();
            boolean last = text.length() == 3 || text.length() > 3 && text.charAt(3) == ' ';
            if (text.length() < 3 || !last && text.charAt(3) != '-' || !digits(text)) {
                throw new ProtocolException("not an SMTP reply line: " + text);
            }
            int lineCode = Integer.parseInt(text, 0, 3, 10);
            if (lineCode < 200 || lineCode > 599) {
                throw new ProtocolException("reply code out of range: " + text);
            }
            if (code != 0 && lineCode != code) {
                throw new ProtocolException("a multi-line reply changed its code from " + code + ": " + text);
            }
            code = lineCode;
            lines.add(text.length() > 4 ? text.substring(4) : "");
            if (last) {
                return reply(code, lines);
            }
            if (lines.size() == MAX_LINES) {
                throw new ProtocolException("a reply of more than " + MAX_LINES + " lines");
            }
        }
    }

    /** Whether bytes the client has not read yet have already arrived. */
    boolean buffered() {
        return pos < end;
    }

    private static SmtpReply reply(int code, List<String> lines) {
        var first = lines.getFirst();
        int space = first.indexOf(' ');
        var enhanced = space < 0 ? first : first.substring(0, space);
        if (!SmtpReply.fits(code, enhanced)) {
            return new SmtpReply(code, null, lines);
        }
        var texts = new ArrayList<String>(lines.size());
        for (var text : lines) {
            texts.add(text.equals(enhanced) ? "" : text.startsWith(enhanced + " ") ? text.substring(enhanced.length() + 1) : text);
        }
        return new SmtpReply(code, enhanced, texts);
    }

    private static boolean digits(String text) {
        for (int i = 0; i < 3; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** One line without its CRLF; a bare LF ends a line too, a CR anywhere else is refused. */
    private String line() throws IOException {
        int length = 0;
        while (true) {
            if (pos == end) {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new EOFException(length == 0 ? "the server closed the connection" : "the server closed the connection within a reply");
                }
                pos = 0;
                end = read;
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                for (int i = 0; i < length; i++) {
                    if (line[i] == '\r') {
                        throw new ProtocolException("a reply line holds a bare CR");
                    }
                }
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == MAX_LINE) {
                throw new ProtocolException("a reply line longer than " + MAX_LINE + " octets");
            }
            line[length++] = b;
        }
    }
}
