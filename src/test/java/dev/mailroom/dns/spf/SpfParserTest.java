package dev.mailroom.dns.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dns.spf.MacroString.Literal;
import dev.mailroom.dns.spf.MacroString.Macro;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpfParserTest {
    private static MacroString literal(String text) {
        return new MacroString(List.of(new Literal(text)));
    }

    @Test
    void readsEveryKindOfTermIntoValues() {
        var record = SpfParser.parse("V=SPF1 ip4:192.0.2.0/24 IP6:2001:db8::/32 a a:%{d}.example.com/28//64 mx//48 "
                + "?ptr ~exists:%{ir}.bl.example.com +include:_spf.example.net exp=why.example.com note=%{l} -all "
                + "redirect=fallback.example.com ");
        var domainMacro = new Macro('d', false, MacroString.ALL_PARTS, false, ".");
        var reversedIp = new Macro('i', false, MacroString.ALL_PARTS, true, ".");
        assertThat(record).isEqualTo(new SpfRecord(List.of(
                new Directive(Qualifier.PASS, new Mechanism.Ip(new IpNetwork(InetAddress.ofLiteral("192.0.2.0"), 24))),
                new Directive(Qualifier.PASS, new Mechanism.Ip(new IpNetwork(InetAddress.ofLiteral("2001:db8::"), 32))),
                new Directive(Qualifier.PASS, new Mechanism.A(Optional.empty(), CidrLengths.WHOLE_ADDRESS)),
                new Directive(Qualifier.PASS, new Mechanism.A(
                        Optional.of(new MacroString(List.of(domainMacro, new Literal(".example.com")))), new CidrLengths(28, 64))),
                new Directive(Qualifier.PASS, new Mechanism.Mx(Optional.empty(), new CidrLengths(32, 48))),
                new Directive(Qualifier.NEUTRAL, new Mechanism.Ptr(Optional.empty())),
                new Directive(Qualifier.SOFTFAIL, new Mechanism.Exists(new MacroString(List.of(reversedIp, new Literal(".bl.example.com"))))),
                new Directive(Qualifier.PASS, new Mechanism.Include(literal("_spf.example.net"))),
                new Directive(Qualifier.FAIL, new Mechanism.All())),
                Optional.of(literal("fallback.example.com")),
                Optional.of(literal("why.example.com"))));
    }

    @Test
    void recognisesSpfRecordsByTheirVersionAlone() {
        assertThat(SpfParser.isSpfRecord("v=spf1")).isTrue();
        assertThat(SpfParser.isSpfRecord("v=Spf1 -all")).isTrue();
        assertThat(SpfParser.isSpfRecord("v=spf10 -all")).isFalse();
        assertThat(SpfParser.isSpfRecord("v=spf1-all")).isFalse();
        assertThat(SpfParser.isSpfRecord(" v=spf1 -all")).isFalse();
        assertThat(SpfParser.parse("v=spf1").directives()).isEmpty();
    }

    @Test
    void keepsAnIpv4MappedIp6NetworkInIpv6() {
        var record = SpfParser.parse("v=spf1 ip6:::ffff:192.0.2.1");
        var network = ((Mechanism.Ip) record.directives().getFirst().mechanism()).network();
        assertThat(network.address().getAddress()).hasSize(16);
        assertThat(network.contains(InetAddress.ofLiteral("192.0.2.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=spf1 -all.", "v=spf1 all:x", "v=spf1 ?", "v=spf1 foo", "v=spf1 =all", "v=spf1 1x=y", "v=spf1 x=%z",
        "v=spf1 include", "v=spf1 include:", "v=spf1 include:example.com/24", "v=spf1 exists",
        "v=spf1 a:localhost", "v=spf1 a:example.123", "v=spf1 a:example.-com", "v=spf1 a:example.com:25",
        "v=spf1 a/33", "v=spf1 a//129", "v=spf1 a/24/64", "v=spf1 a/024", "v=spf1 mx:",
        "v=spf1 ptr/24", "v=spf1 ptr:",
        "v=spf1 ip4", "v=spf1 ip4:192.0.2", "v=spf1 ip4:192.0.2.01", "v=spf1 ip4:192.0.2.1/33", "v=spf1 ip4:192.0.2.1//32",
        "v=spf1 ip6:2001:db8::/129", "v=spf1 ip6::2001::1", "v=spf1 ip6:[::1]", "v=spf1 ip6:fe80::1%1",
        "v=spf1 redirect=a.example.com redirect=b.example.com", "v=spf1 exp=a.example.com exp=b.example.com",
        "v=spf1 redirect=", "v=spf1 exp=-all", "v=spf1 redirect:example.com",
        "v=spf1 a:%{c}.example.com", "v=spf1 a\t-all", "v=spf1 a:example.com\u00a0", "spf1 -all",
    })
    void refusesRecordsThatBreakTheGrammar(String record) {
        assertThatThrownBy(() -> SpfParser.parse(record)).isInstanceOf(InvalidSpfRecordException.class);
    }

    @Test
    void ignoresUnknownModifiersButChecksTheirMacros() {
        assertThat(SpfParser.parse("v=spf1 default=deny moo.cow-far_out=man:dog/cat -all").directives()).hasSize(1);
        assertThatThrownBy(() -> SpfParser.parse("v=spf1 note=%{q}")).hasMessageContaining("'q'");
    }

    @Test
    void acceptsDomainsEndingInAMacroOrADottedTopLabel() {
        for (var domain : List.of("%{d}", "%{d}%%", "example.com.", "mail.xn--zckzah", "foo:bar/baz.example.com", "%{l}.example.com")) {
            assertThat(SpfParser.parse("v=spf1 a:" + domain).directives()).as(domain).hasSize(1);
        }
    }
}
