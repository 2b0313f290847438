package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client's reading of replies and EHLO keywords, and its writing of a message after DATA. */
class SmtpClientCodecTest {
    private static ReplyReader reader(String wire) {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    private static SmtpReply read(String wire) throws Exception {
        return reader(wire).read();
    }

    private static String stuffed(String message) throws Exception {
        var out = new ByteArrayOutputStream();
        MessageData.write(message.getBytes(StandardCharsets.UTF_8), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readsRepliesWholeWithTheirEnhancedCodes() throws Exception {
        assertThat(read("550-5.1.1 The email account that you tried to reach does not exist.\r\n550-5.1.1 Please try\r\n550 5.1.1 https://support.example/\r\n"))
                .isEqualTo(SmtpReply.of(550, "5.1.1", "The email account that you tried to reach does not exist.", "Please try", "https://support.example/"));
        // only the first line has it: the others stay as they are
        assertThat(read("452-4.2.2 Mailbox full\r\n452 try later\r\n")).isEqualTo(SmtpReply.of(452, "4.2.2", "Mailbox full", "try later"));
        assertThat(read("250-mx.example.net\r\n250-PIPELINING\r\n250 \r\n")).isEqualTo(SmtpReply.bare(250, "mx.example.net", "PIPELINING", ""));
        assertThat(read("250\r\n")).isEqualTo(SmtpReply.bare(250, ""));
        assertThat(read("250 2.0.0\r\n")).isEqualTo(SmtpReply.of(250, "2.0.0", ""));
        assertThat(read("354 End data with <CR><LF>.<CR><LF>\r\n")).isEqualTo(SmtpReply.bare(354, "End data with <CR><LF>.<CR><LF>"));
        assertThat(read("334 \r\n")).isEqualTo(SmtpReply.bare(334, ""));
        // a bare LF ends a line too; UTF-8 text is kept
        assertThat(read("220 mx.example.net ESMTP caf\u00e9\n")).isEqualTo(SmtpReply.bare(220, "mx.example.net ESMTP caf\u00e9"));
    }

    @Test
    void keepsAnEnhancedCodeThatDoesNotFitInTheText() throws Exception {
        assertThat(read("250 5.1.1 odd\r\n")).isEqualTo(SmtpReply.bare(250, "5.1.1 odd"));
        assertThat(read("354 2.0.0 go ahead\r\n")).isEqualTo(SmtpReply.bare(354, "2.0.0 go ahead"));
        assertThat(read("550 5.1 short\r\n")).isEqualTo(SmtpReply.bare(550, "5.1 short"));
        assertThat(read("550 5.1.1234 long\r\n")).isEqualTo(SmtpReply.bare(550, "5.1.1234 long"));
        assertThat(read("550 5.1.1.\r\n")).isEqualTo(SmtpReply.bare(550, "5.1.1."));
    }

    @Test
    void readsConsecutiveRepliesAndSaysWhatArrivedAhead() throws Exception {
        var reader = reader("250 2.1.0 OK\r\n250 2.1.5 OK\r\n");
        assertThat(reader.read().enhanced()).isEqualTo("2.1.0");
        assertThat(reader.buffered()).isTrue();
        assertThat(reader.read().enhanced()).isEqualTo("2.1.5");
        assertThat(reader.buffered()).isFalse();
        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesWhatIsNotAReply() {
        assertThatThrownBy(() -> read("hello\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("25 OK\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250OK\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("199 too low\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("600 too high\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250-first\r\n251 second\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250 a\rb\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250-x\r\n".repeat(ReplyReader.MAX_LINES) + "250 x\r\n")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250-first\r\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
    }

    @Test
    void readsTheExtensionsOfAnEhloReply() throws Exception {
        var extensions = Extensions.parse(read("250-mx.example.net Hello\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
                + "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-AUTH LOGIN plain XOAUTH2\r\n250-CHUNKING\r\n250 \r\n"));
        assertThat(extensions).isEqualTo(new Extensions(true, true, true, true, true, OptionalLong.of(35_882_577),
                Set.of("LOGIN", "PLAIN", "XOAUTH2")));
        var old = Extensions.parse(read("250-mx.example.net\r\n250-AUTH=LOGIN\r\n250 SIZE\r\n"));
        assertThat(old.auth()).containsExactly("LOGIN");
        assertThat(old.size()).hasValue(0);
        assertThat(old.pipelining()).isFalse();
        assertThat(Extensions.parse(read("250 mx.example.net\r\n"))).isEqualTo(Extensions.NONE);
    }

    @Test
    void stuffsDotsAndEndsTheMessageChangingNothingElse() throws Exception {
        assertThat(stuffed("Subject: x\r\n\r\nbody\r\n")).isEqualTo("Subject: x\r\n\r\nbody\r\n.\r\n");
        assertThat(stuffed(".starts with a dot\r\n.\r\n..\r\nmid.dle\r\n")).isEqualTo("..starts with a dot\r\n..\r\n...\r\nmid.dle\r\n.\r\n");
        assertThat(stuffed("no final line end")).isEqualTo("no final line end\r\n.\r\n");
        assertThat(stuffed("ends in a dot\r\n.")).isEqualTo("ends in a dot\r\n..\r\n.\r\n");
        // a bare LF is left alone, and a dot after it is stuffed, so no reader can find the end there
        assertThat(stuffed("bare\n.\nlf\r\n")).isEqualTo("bare\n..\nlf\r\n.\r\n");
        assertThat(stuffed("caf\u00e9\r\n")).isEqualTo("caf\u00e9\r\n.\r\n");
        assertThat(stuffed("")).isEqualTo(".\r\n");
        assertThat(MessageData.size("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(5);
        assertThat(MessageData.size("abc\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(5);
        assertThat(MessageData.eightBit("caf\u00e9".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(MessageData.eightBit("cafe\u007f".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void writesALargeMessageInFewLargeWrites() throws Exception {
        var writes = new ArrayList<Integer>();
        var sink = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
            }
        };
        var line = "x".repeat(76) + "\r\n";
        var message = (line.repeat(10_000) + "." + line).getBytes(StandardCharsets.US_ASCII);
        var out = new BufferedOutputStream(sink, 64 * 1024);
        MessageData.write(message, out);
        out.flush();
        assertThat(writes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(message.length + 1 + 3);
        assertThat(writes).hasSizeLessThan(5);
    }
}
