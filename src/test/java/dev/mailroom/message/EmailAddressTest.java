package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmailAddressTest {
    @Test
    void aFromFieldNamesExactlyOneMailbox() {
        assertThat(EmailAddress.fromHeader("Shop <shop@news.clienta.example>").address()).isEqualTo("shop@news.clienta.example");
        assertThat(EmailAddress.fromHeader("shop@news.clienta.example (The Shop)").address()).isEqualTo("shop@news.clienta.example");
        assertThat(EmailAddress.fromHeader("\"Shop, Inc. (main)\" <shop@news.clienta.example>").displayName()).isEqualTo("Shop, Inc. (main)");
        assertThatThrownBy(() -> EmailAddress.fromHeader("ceo@bank.example, Me <me@mine.example>")).hasMessageContaining("more than one mailbox");
        assertThatThrownBy(() -> EmailAddress.fromHeader("Me <me@mine.example>, ceo@bank.example")).hasMessageContaining("more than one mailbox");
        assertThatThrownBy(() -> EmailAddress.fromHeader("friends: a@mine.example;")).hasMessageContaining("group");
        assertThatThrownBy(() -> EmailAddress.fromHeader("Me <me@mine.example")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> EmailAddress.fromHeader("<ceo@bank.example> <me@mine.example>")).hasMessageContaining("more than one");
        assertThatThrownBy(() -> EmailAddress.fromHeader("ceo@bank.example <me@mine.example>")).hasMessageContaining("outside");
        assertThat(EmailAddress.fromHeader("\"ceo@bank\" <me@mine.example>").address()).isEqualTo("me@mine.example");
        assertThatThrownBy(() -> EmailAddress.fromHeader("Me (<ceo@bank.example>) <me@mine.example> (x")).hasMessageContaining("unclosed");
    }
}
