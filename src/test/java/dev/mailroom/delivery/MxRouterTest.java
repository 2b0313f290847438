package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.InMemoryZone;
import dev.mailroom.dns.MxHost;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MxRouterTest {
    private final InMemoryZone dns = new InMemoryZone();
    private final MxRouter router = new MxRouter(dns, new Random(7));

    @Test
    void mxHostsComeBestFirst() {
        dns.mx("clienta.example", 20, "mx2.clienta.example").mx("clienta.example", 10, "mx1.clienta.example");
        var route = (Route.Hosts) router.route("clienta.example");
        assertThat(route.hosts()).extracting(MxHost::host).containsExactly("mx1.clienta.example", "mx2.clienta.example");
        assertThat(route.implicit()).isFalse();
    }

    @Test
    void equalPreferencesAreSpreadButStayAheadOfWorseOnes() {
        dns.mx("example.net", 5, "a.mx.example.net").mx("example.net", 5, "b.mx.example.net").mx("example.net", 5, "c.mx.example.net")
                .mx("example.net", 50, "backup.example.net");
        var firsts = new java.util.HashSet<String>();
        for (int i = 0; i < 50; i++) {
            var hosts = ((Route.Hosts) router.route("example.net")).hosts();
            firsts.add(hosts.get(0).host());
            assertThat(hosts.get(3).host()).isEqualTo("backup.example.net");
        }
        assertThat(firsts).hasSize(3);
    }

    @Test
    void withoutMxTheDomainsAddressStandsInForOne() {
        dns.a("noreply.example", "192.0.2.10");
        var route = (Route.Hosts) router.route("noreply.example");
        assertThat(route.hosts()).containsExactly(new MxHost(0, "noreply.example"));
        assertThat(route.implicit()).isTrue();
        dns.aaaa("v6only.example", "2001:db8::25");
        assertThat(router.route("v6only.example")).isInstanceOf(Route.Hosts.class);
    }

    @Test
    void aNullMxTakesNoMail() {
        dns.mx("nomail.example", 0, ".");
        assertThat(router.route("nomail.example")).isInstanceOf(Route.NullMx.class);
    }

    @Test
    void missingAndUnknownAreKeptApart() {
        assertThat(router.route("nowhere.example")).isInstanceOf(Route.NoHosts.class);
        dns.txt("textonly.example", "v=spf1 -all");
        assertThat(router.route("textonly.example")).isInstanceOf(Route.NoHosts.class);
        dns.timeout("slow.example");
        assertThat(router.route("slow.example")).isInstanceOf(Route.Unknown.class);
    }

    @Test
    void domainsWithTheSameMxSetShareASite() {
        for (var domain : new String[] {"a.example", "b.example"}) {
            dns.mx(domain, 1, "ASPMX.L.GOOGLE.COM").mx(domain, 5, "alt1.aspmx.l.google.com");
        }
        dns.mx("c.example", 10, "mx.c.example");
        var a = ((Route.Hosts) router.route("a.example")).site();
        assertThat(((Route.Hosts) router.route("b.example")).site()).isEqualTo(a);
        assertThat(((Route.Hosts) router.route("c.example")).site()).isNotEqualTo(a);
        assertThat(a.name()).isEqualTo("alt1.aspmx.l.google.com,aspmx.l.google.com");
    }
}
