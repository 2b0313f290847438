package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mailroom's DNS server as kdig (Knot) sees it: flags, NXDOMAIN versus NODATA, CNAMEs, truncation and TCP. */
class AuthoritativeServerTest {
    private static AuthoritativeServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        var big = new ArrayList<ZoneRecord>();
        for (int i = 0; i < 8; i++) {
            big.add(new ZoneRecord("big.mailroom.test", "TXT", DnsRecord.quotedStrings(String.valueOf((char) ('a' + i)).repeat(400))));
        }
        var records = new ArrayList<>(List.of(
                new ZoneRecord("mailroom.test", "NS", "ns.mailroom.test."),
                new ZoneRecord("ns.mailroom.test", "A", "192.0.2.53"),
                new ZoneRecord("mx.mailroom.test", "A", "192.0.2.25"),
                new ZoneRecord("rp.mailroom.test", "MX", "10 mx.mailroom.test."),
                new ZoneRecord("rp.mailroom.test", "TXT", "\"v=spf1 ip4:192.0.2.25 -all\""),
                new ZoneRecord("sel.tok.dkim.mailroom.test", "TXT", "\"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\""),
                new ZoneRecord("alias.mailroom.test", "CNAME", "mx.mailroom.test."),
                new ZoneRecord("away.mailroom.test", "CNAME", "somewhere.example.")));
        records.addAll(big);
        var zone = new Zone("mailroom.test", "ns.mailroom.test", 2026112401, records);
        server = new AuthoritativeServer(() -> List.of(zone), new InetSocketAddress("127.0.0.1", 0)).start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersAuthoritatively() throws Exception {
        var out = Kdig.ask(port, "sel.tok.dkim.mailroom.test", "TXT");
        assertThat(out).contains("status: NOERROR").containsPattern("Flags: qr aa;").contains("k=ed25519");
        assertThat(Kdig.ask(port, "rp.mailroom.test", "MX")).contains("10 mx.mailroom.test.");
    }

    @Test
    void tellsNxdomainFromNodataWithTheSoa() throws Exception {
        var nx = Kdig.ask(port, "nothing.mailroom.test", "TXT");
        assertThat(nx).contains("status: NXDOMAIN").containsPattern("Flags: qr aa;").contains("ANSWER: 0").contains("AUTHORITY: 1")
                .contains("SOA");
        var nodata = Kdig.ask(port, "mx.mailroom.test", "TXT");
        assertThat(nodata).contains("status: NOERROR").contains("ANSWER: 0").contains("AUTHORITY: 1").contains("SOA");
        // an empty non-terminal exists: NODATA, not NXDOMAIN
        assertThat(Kdig.ask(port, "tok.dkim.mailroom.test", "TXT")).contains("status: NOERROR");
    }

    @Test
    void followsCnamesInsideTheZoneOnly() throws Exception {
        var inside = Kdig.ask(port, "alias.mailroom.test", "A");
        assertThat(inside).contains("CNAME").contains("mx.mailroom.test.").contains("192.0.2.25");
        var outside = Kdig.ask(port, "away.mailroom.test", "A");
        assertThat(outside).contains("status: NOERROR").contains("somewhere.example.").contains("ANSWER: 1");
    }

    @Test
    void refusesNamesOfOtherZones() throws Exception {
        assertThat(Kdig.ask(port, "example.com", "A")).contains("status: REFUSED");
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndWholeOverTcp() throws Exception {
        var udp = Kdig.ask(port, "big.mailroom.test", "TXT", "+notcp", "+ignore");
        assertThat(udp).containsPattern("Flags: qr aa tc;");
        var tcp = Kdig.ask(port, "big.mailroom.test", "TXT", "+tcp");
        assertThat(tcp).contains("ANSWER: 8").doesNotContain(" tc;");
        assertThat(tcp).contains("TCP");
    }

    @Test
    void ednsRaisesTheUdpLimit() throws Exception {
        var out = Kdig.ask(port, "rp.mailroom.test", "TXT", "+edns=0", "+bufsize=1232");
        assertThat(out).contains("EDNS PSEUDOSECTION").contains("v=spf1 ip4:192.0.2.25 -all");
    }
}
