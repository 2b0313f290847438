package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.Answer;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RFC 5782 query names and what a list's answer means. */
class DnsblTest {
    @Test
    void ipv4AddressesAreAskedWithTheirOctetsReversed() {
        assertThat(Dnsbl.queryName(InetAddress.ofLiteral("127.0.0.11"), "bl.test")).isEqualTo("11.0.0.127.bl.test");
        assertThat(Dnsbl.queryName(InetAddress.ofLiteral("192.0.2.200"), "zen.spamhaus.org")).isEqualTo("200.2.0.192.zen.spamhaus.org");
    }

    @Test
    void ipv6AddressesAreAskedNibbleByNibbleReversed() {
        // RFC 5782 2.4's example
        assertThat(Dnsbl.queryName(InetAddress.ofLiteral("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
    }

    @Test
    void domainsAreAskedUnderTheZone() {
        assertThat(Dnsbl.queryName("News.ClientA.example", "dbl.test")).isEqualTo("news.clienta.example.dbl.test");
    }

    @Test
    void anAddressIn127Slash8IsAListingWithTheTxtReason() {
        var result = Dnsbl.interpret(records("127.0.0.4", "127.0.0.2"), () -> new Answer.Records<>(List.of("listed for testing")));
        assertThat(result).isEqualTo(new Dnsbl.Result.Listed("127.0.0.2, 127.0.0.4", "listed for testing"));
        assertThat(Dnsbl.interpret(records("127.0.0.2"), () -> new Answer.Failed<>("timeout")))
                .isEqualTo(new Dnsbl.Result.Listed("127.0.0.2", null));
    }

    @Test
    void errorCodesAreRefusalsNotListingsAndTheReasonIsNotAsked() {
        var asked = new AtomicInteger();
        var txt = (java.util.function.Supplier<Answer<String>>) () -> {
            asked.incrementAndGet();
            return new Answer.NxDomain<>();
        };
        assertThat(Dnsbl.interpret(records("127.255.255.254"), txt)).isInstanceOfSatisfying(Dnsbl.Result.Refused.class, refused -> {
            assertThat(refused.code()).isEqualTo("127.255.255.254");
            assertThat(refused.meaning()).contains("public or open resolver");
        });
        assertThat(Dnsbl.interpret(records("127.255.255.255"), txt)).isInstanceOf(Dnsbl.Result.Refused.class);
        assertThat(Dnsbl.interpret(records("127.0.0.1"), txt)).isInstanceOf(Dnsbl.Result.Refused.class);
        assertThat(Dnsbl.interpret(records("198.51.100.7"), txt)).isInstanceOfSatisfying(Dnsbl.Result.Refused.class,
                refused -> assertThat(refused.meaning()).contains("rewrites NXDOMAIN"));
        assertThat(asked).hasValue(0);
    }

    @Test
    void nxdomainAndNoDataAreNotListedAndAFailureIsUnknown() {
        assertThat(Dnsbl.interpret(new Answer.NxDomain<>(), Answer.NxDomain::new)).isInstanceOf(Dnsbl.Result.NotListed.class);
        assertThat(Dnsbl.interpret(new Answer.NoData<>(), Answer.NxDomain::new)).isInstanceOf(Dnsbl.Result.NotListed.class);
        assertThat(Dnsbl.interpret(new Answer.Failed<>("SERVFAIL"), Answer.NxDomain::new)).isEqualTo(new Dnsbl.Result.Failed("SERVFAIL"));
    }

    private static Answer<InetAddress> records(String... addresses) {
        return new Answer.Records<>(java.util.Arrays.stream(addresses).map(InetAddress::ofLiteral).toList());
    }
}
