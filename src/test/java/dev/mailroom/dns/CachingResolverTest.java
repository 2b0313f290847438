package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver against knotd: answers, CNAMEs, NXDOMAIN versus no data, TCP for large answers, failures. */
class CachingResolverTest {
    @TempDir
    static Path dir;

    private static KnotServer knot;
    private static CachingResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        var longTxt = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            longTxt.append(" \"").append(String.valueOf((char) ('a' + i)).repeat(250)).append('"');
        }
        knot = KnotServer.start(dir, "clienta.example", List.of(
                "www IN A 192.0.2.10",
                "www IN AAAA 2001:db8::10",
                "@ IN MX 10 mx1.clienta.example.",
                "@ IN MX 20 mx2.clienta.example.",
                "@ IN TXT \"v=spf1 \" \"include:rp.mailroom.localhost -all\"",
                "alias IN CNAME www.clienta.example.",
                "mr1._domainkey IN CNAME mr1.tok.dkim.clienta.example.",
                "mr1.tok.dkim IN TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"",
                "big IN TXT" + longTxt,
                "big IN TXT \"second\"",
                "sub IN NS ns.elsewhere.example."));
        resolver = new CachingResolver(List.of(knot.address()), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    void answersEachType() throws Exception {
        assertThat(resolver.a("www.clienta.example")).isEqualTo(new Answer.Records<>(List.of(InetAddress.getByName("192.0.2.10"))));
        assertThat(resolver.aaaa("WWW.ClientA.example.")).isEqualTo(new Answer.Records<>(List.of(InetAddress.getByName("2001:db8::10"))));
        assertThat(resolver.mx("clienta.example").valuesOrEmpty())
                .containsExactlyInAnyOrder(new MxHost(10, "mx1.clienta.example"), new MxHost(20, "mx2.clienta.example"));
        assertThat(resolver.txt("clienta.example").valuesOrEmpty()).containsExactly("v=spf1 include:rp.mailroom.localhost -all");
        assertThat(resolver.ns("clienta.example").valuesOrEmpty()).containsExactly("ns.clienta.example");
    }

    @Test
    void followsCnamesAndReportsThemWhenAsked() {
        assertThat(resolver.a("alias.clienta.example").valuesOrEmpty()).hasSize(1);
        assertThat(resolver.cname("mr1._domainkey.clienta.example").valuesOrEmpty()).containsExactly("mr1.tok.dkim.clienta.example");
        assertThat(resolver.txt("mr1._domainkey.clienta.example").valuesOrEmpty().getFirst()).startsWith("v=DKIM1; k=ed25519");
    }

    @Test
    void tellsNxdomainFromNoData() {
        assertThat(resolver.txt("nothing.clienta.example")).isEqualTo(new Answer.NxDomain<String>());
        assertThat(resolver.txt("www.clienta.example")).isEqualTo(new Answer.NoData<String>());
        assertThat(resolver.cname("www.clienta.example")).isEqualTo(new Answer.NoData<String>());
    }

    @Test
    void largeAnswersComeOverTcp() {
        var values = resolver.txt("big.clienta.example").valuesOrEmpty();
        assertThat(values).hasSize(2);
        assertThat(values).anySatisfy(value -> assertThat(value).hasSize(3000));
    }

    @Test
    void aRefusedQueryIsAFailureNotAMissingRecord() throws Exception {
        // knotd serves only clienta.example and refuses the reverse zone
        assertThat(resolver.ptr(InetAddress.getByName("192.0.2.10"))).isInstanceOf(Answer.Failed.class);
        assertThat(resolver.txt("elsewhere.example")).isInstanceOf(Answer.Failed.class);
    }

    @Test
    void aServerThatDoesNotAnswerIsAFailureNotAMissingRecord() throws Exception {
        int silentPort;
        try (var socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silentPort = socket.getLocalPort();
            var silent = new CachingResolver(List.of(new InetSocketAddress("127.0.0.1", silentPort)), Duration.ofMillis(200));
            assertThat(silent.txt("clienta.example")).isInstanceOf(Answer.Failed.class);
            assertThat(silent.a("www.clienta.example")).isInstanceOf(Answer.Failed.class);
        }
    }
}
