package dev.mailroom.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
    private static String wire(SmtpReply reply) {
        return new String(reply.wire(), StandardCharsets.UTF_8);
    }

    @Test
    void writesSingleAndMultiLineReplies() {
        assertThat(wire(SmtpReply.ok("Queued as 42"))).isEqualTo("250 2.0.0 Queued as 42\r\n");
        assertThat(wire(SmtpReply.of(550, "5.7.1", "Refused", "see https://example.net/why"))).isEqualTo("550-5.7.1 Refused\r\n550 5.7.1 see https://example.net/why\r\n");
        assertThat(wire(SmtpReply.bare(250, "mail.example", "PIPELINING"))).isEqualTo("250-mail.example\r\n250 PIPELINING\r\n");
        assertThat(wire(SmtpReply.bare(334, ""))).isEqualTo("334 \r\n");
        assertThat(wire(SmtpReply.senderOk())).isEqualTo("250 2.1.0 Sender OK\r\n");
        assertThat(wire(SmtpReply.recipientOk())).isEqualTo("250 2.1.5 Recipient OK\r\n");
        assertThat(wire(SmtpReply.authenticationRequired())).isEqualTo("530 5.7.0 Authentication required\r\n");
        assertThat(SmtpReply.of(421, "4.4.2", "bye").closes()).isTrue();
        assertThat(SmtpReply.of(451, "4.3.0", "later").positive()).isFalse();
    }

    @Test
    void refusesRepliesThatWouldBreakTheProtocol() {
        assertThatThrownBy(() -> SmtpReply.of(250, "5.0.0", "x")).hasMessageContaining("class of 250");
        assertThatThrownBy(() -> SmtpReply.of(550, "5.1", "x")).hasMessageContaining("not an enhanced status code");
        assertThatThrownBy(() -> SmtpReply.of(354, "2.0.0", "x")).hasMessageContaining("class of 354");
        assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", "a\r\n250 injected")).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> SmtpReply.of(199, null, "x")).hasMessageContaining("200 to 599");
        assertThatThrownBy(() -> new SmtpReply(250, null, List.of())).hasMessageContaining("at least one line");
    }
}
