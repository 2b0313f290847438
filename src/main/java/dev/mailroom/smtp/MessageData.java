package dev.mailroom.smtp;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A message as it goes after DATA (RFC 5321 §4.5.2). The bytes are signed already: apart from a dot
 * doubled at the start of a line and the ending, nothing is changed, not even a line ending.
 */
final class MessageData {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private MessageData() {
    }

    /**
     * Writes the message dot-stuffed, then CRLF if it does not end with one, then the final dot.
     * A line starts after any LF, a bare one too: a receiver that takes a bare LF for a line end
     * must not find a lone dot in the message (SMTP smuggling).
     */
    static void write(byte[] message, OutputStream out) throws IOException {
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                out.write(message, from, i - from);
                out.write('.');
                from = i;
            }
        }
        out.write(message, from, message.length - from);
        if (!endsWithLine(message)) {
            out.write(CRLF);
        }
        out.write(END);
    }

    /** The size SIZE declares (RFC 1870 §3): the message as the server will hold it, without stuffing or the final dot. */
    static long size(byte[] message) {
        return message.length + (endsWithLine(message) ? 0 : CRLF.length);
    }

    /** Whether a byte has its high bit set: the message needs 8BITMIME (RFC 6152). */
    static boolean eightBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }

    /** An empty message ends where it starts; any other needs its last line ended by CRLF. */
    private static boolean endsWithLine(byte[] message) {
        int n = message.length;
        return n == 0 || n >= 2 && message[n - 2] == '\r' && message[n - 1] == '\n';
    }
}
