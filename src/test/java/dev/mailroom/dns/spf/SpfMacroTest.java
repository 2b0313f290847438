package dev.mailroom.dns.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Macro-strings (RFC 7208 section 7): their syntax, and their expansion by {@link MacroExpander}. */
class SpfMacroTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_767_225_600);

    private static MacroExpander expander(String client) {
        return new MacroExpander(new Sender("strong-bad", "email.example.com"), "mx.example.org",
                InetAddress.ofLiteral(client), "checker.example.net", NOW, domain -> "host." + domain);
    }

    /** The examples of RFC 7208 section 7.4. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{s}                            | strong-bad@email.example.com",
        "%{o}                            | email.example.com",
        "%{d}                            | email.example.com",
        "%{d4}                           | email.example.com",
        "%{d3}                           | email.example.com",
        "%{d2}                           | example.com",
        "%{d1}                           | com",
        "%{dr}                           | com.example.email",
        "%{d2r}                          | example.email",
        "%{l}                            | strong-bad",
        "%{l-}                           | strong.bad",
        "%{lr}                           | strong-bad",
        "%{lr-}                          | bad.strong",
        "%{l1r-}                         | strong",
        "%{ir}.%{v}._spf.%{d2}           | 3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}            | bad.strong.lp._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2} | 3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net | example.com.trusted-domains.example.net",
    })
    void expandsTheRfcExamples(String macroString, String expected) {
        assertThat(expander("192.0.2.3").expand(MacroString.parse(macroString), "email.example.com")).isEqualTo(expected);
    }

    @Test
    void writesIpv6AsNibblesForIAndCompressedForC() {
        var ipv6 = expander("2001:db8::cb01");
        assertThat(ipv6.expand(MacroString.parse("%{ir}.%{v}._spf.%{d2}"), "email.example.com"))
                .isEqualTo("1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com");
        assertThat(ipv6.expand(MacroString.parseExplanation("%{c}"), "email.example.com")).isEqualTo("2001:db8::cb01");
    }

    @ParameterizedTest
    @CsvSource({
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
    })
    void writesTheClientAddressInRfc5952Form(String address, String expected) {
        assertThat(expander(address).expand(MacroString.parseExplanation("%{c}"), "example.com")).isEqualTo(expected);
    }

    @Test
    void expandsEscapesExplanationLettersAndUrlEscapesUpperCase() {
        var expander = expander("192.0.2.3");
        assertThat(expander.expand(MacroString.parseExplanation("%{c} %{r} %{t} %{h} %{p} 100%% %_%-"), "example.com"))
                .isEqualTo("192.0.2.3 checker.example.net 1767225600 mx.example.org host.example.com 100%  %20");
        assertThat(expander.expand(MacroString.parse("%{S}"), "example.com")).isEqualTo("strong-bad%40email.example.com");
    }

    @Test
    void splitsOnEveryDelimiterGivenAndKeepsEmptyParts() {
        var sender = new Sender("a+b=c..d", "example.com");
        var expander = new MacroExpander(sender, "h", InetAddress.ofLiteral("192.0.2.3"), "r", NOW, domain -> "unknown");
        assertThat(expander.expand(MacroString.parse("%{l+=}"), "example.com")).isEqualTo("a.b.c..d");
        assertThat(expander.expand(MacroString.parse("%{l2}"), "example.com")).isEqualTo(".d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "50%", "%x", "%{", "%{d", "%{}", "%{x}", "%{d0}", "%{dr2}", "%{d2r;}", "%{c}", "%{r}", "%{t}", "a b", "é"})
    void refusesMalformedMacroStrings(String text) {
        assertThatThrownBy(() -> MacroString.parse(text)).isInstanceOf(InvalidSpfRecordException.class);
    }

    @Test
    void allowsSpacesAndTheResultLettersInExplanationsOnly() {
        assertThat(MacroString.parseExplanation("%{c} is not %{r} at %{t}").parts()).hasSize(5);
        assertThatThrownBy(() -> MacroString.parseExplanation("caf\u00e9")).isInstanceOf(InvalidSpfRecordException.class);
    }
}
