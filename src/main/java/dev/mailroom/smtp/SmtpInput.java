package dev.mailroom.smtp;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The client's bytes, read line by line through one buffer of our own, so that the session knows
 * what has arrived but is not yet handled: it flushes its buffered replies only when nothing is
 * waiting (one round trip for a pipelined group, RFC 2920). STARTTLS replaces the reader, and with
 * it whatever the client had sent ahead in plaintext.
 */
final class SmtpInput {
    private final InputStream in;
    private final Flushable replies;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos;
    private int end;

    /** @param replies flushed whenever reading would wait for the client */
    SmtpInput(InputStream in, Flushable replies) {
        this.in = in;
        this.replies = replies;
    }

    /**
     * Reads one line, through its LF, into {@code line}, keeping only what fits. Returns the line's
     * whole length, which exceeds {@code line.length} when the line was cut, or -1 when the client
     * closed the connection first.
     */
    int readLine(byte[] line) throws IOException {
        int length = 0;
        while (true) {
            if (pos == end && !fill()) {
                return -1;
            }
            int start = pos;
            int newline = start;
            while (newline < end && buffer[newline] != '\n') {
                newline++;
            }
            boolean complete = newline < end;
            pos = complete ? newline + 1 : end;
            int chunk = pos - start;
            if (length < line.length) {
                System.arraycopy(buffer, start, line, length, Math.min(chunk, line.length - length));
            }
            // saturates rather than overflows on an endless line; the caller refuses it either way
            length = (int) Math.min((long) length + chunk, Integer.MAX_VALUE);
            if (complete) {
                return length;
            }
        }
    }

    private boolean fill() throws IOException {
        if (in.available() == 0) {
            replies.flush();
        }
        int read = in.read(buffer);
        if (read < 0) {
            return false;
        }
        pos = 0;
        end = read;
        return true;
    }
}
