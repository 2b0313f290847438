package dev.mailroom.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output with a time limit on every write. A blocking socket write has no timeout of its
 * own: a server that stops reading would hold the connection, and its thread, forever. Past the
 * limit the TCP socket is closed, which ends the write with an exception; {@link #expired} then
 * says why. The TCP socket, not a TLS socket over it, so that closing never waits to send a
 * close_notify behind the stuck write.
 */
final class TimedOutput extends OutputStream {
    /** Each block gets its own limit: RFC 5321 §4.5.3.2.6 times every TCP SEND of the message, not the whole. */
    static final int BLOCK = 64 * 1024;
    /** One thread for the deadlines of every client; cancelled deadlines leave its queue at once. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();
    private final OutputStream out;
    private final Socket tcp;
    private Duration limit;
    private volatile boolean expired;

    TimedOutput(OutputStream out, Socket tcp, Duration limit) {
        this.out = out;
        this.tcp = tcp;
        this.limit = limit;
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        var executor = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("smtp-client-deadlines").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** The limit of the writes that follow. */
    void limit(Duration value) {
        limit = value;
    }

    boolean expired() {
        return expired;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int block = Math.min(length, BLOCK);
            var deadline = DEADLINES.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
            try {
                out.write(bytes, offset, block);
            } finally {
                deadline.cancel(false);
            }
            offset += block;
            length -= block;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void expire() {
        expired = true;
        try {
            tcp.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }
}
