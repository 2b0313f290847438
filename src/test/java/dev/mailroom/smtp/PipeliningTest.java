package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 2920 round trips, counted exactly: a session on a scripted connection whose client sends its
 * next group only once the server has flushed, the way a real client waits for replies. Each
 * flush reaches the connection as one write.
 */
class PipeliningTest {
    /** A connection that hands the server one group of lines at a time and records every write. */
    private static final class ScriptedSocket extends Socket {
        private final List<byte[]> groups;
        private final List<String> writes = new ArrayList<>();
        private int group;
        private int pos;

        ScriptedSocket(String... groups) {
            this.groups = new ArrayList<>();
            for (var text : groups) {
                this.groups.add(text.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                @Override
                public int available() {
                    return group < groups.size() ? groups.get(group).length - pos : 0;
                }

                @Override
                public int read() {
                    throw new UnsupportedOperationException("the session reads in blocks");
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    // the server only reads on once it has nothing left of the current group: the client's next turn
                    if (group < groups.size() && pos == groups.get(group).length) {
                        group++;
                        pos = 0;
                    }
                    if (group == groups.size()) {
                        return -1;
                    }
                    int count = Math.min(length, groups.get(group).length - pos);
                    System.arraycopy(groups.get(group), pos, buffer, offset, count);
                    pos += count;
                    return count;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    throw new UnsupportedOperationException("the session writes in blocks");
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
                }
            };
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return new InetSocketAddress("192.0.2.25", 40000);
        }

        @Override
        public void setSoTimeout(int timeout) {}
    }

    @Test
    void aPipelinedTransactionCostsOneRoundTripPerGroup() throws Exception {
        var socket = new ScriptedSocket(
                "", // the client waits for the greeting
                "EHLO client.example\r\n",
                "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<refused@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n",
                "Subject: pipelined\r\n\r\nhello\r\n.\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<d@example.net>\r\nDATA\r\n",
                "Subject: second\r\n\r\nagain\r\n.\r\nQUIT\r\n");
        var handler = new RecordingHandler();
        new SmtpSession(socket, SmtpServer.Settings.defaults("mail.mailroom.test"), null, handler).run();
        assertThat(socket.writes).hasSize(5);
        assertThat(socket.writes.get(0)).isEqualTo("220 mail.mailroom.test ESMTP ready\r\n");
        assertThat(socket.writes.get(1)).startsWith("250-mail.mailroom.test\r\n").contains("250-PIPELINING\r\n");
        assertThat(socket.writes.get(2)).isEqualTo("250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n550 5.1.1 No such user\r\n"
                + "250 2.1.5 Recipient OK\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
        // the end of one message and the next transaction ride in one write each way
        assertThat(socket.writes.get(3)).isEqualTo("250 2.0.0 Queued as 1\r\n250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n"
                + "354 End data with <CR><LF>.<CR><LF>\r\n");
        assertThat(socket.writes.get(4)).isEqualTo("250 2.0.0 Queued as 2\r\n221 2.0.0 mail.mailroom.test closing connection\r\n");
        assertThat(handler.transactions).extracting(SubmissionHandler.Transaction::recipients)
                .containsExactly(List.of("b@example.net", "c@example.net"), List.of("d@example.net"));
    }
}
