package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.DmarcDiscovery.Absent;
import dev.mailroom.dns.DmarcDiscovery.Published;
import dev.mailroom.dns.DmarcDiscovery.Unknown;
import dev.mailroom.dns.DmarcRecord.Policy;
import org.junit.jupiter.api.Test;

class DmarcDiscoveryTest {
    private final InMemoryZone zone = new InMemoryZone();
    private final DmarcDiscovery discovery = new DmarcDiscovery(zone);

    @Test
    void theDomainsOwnRecordWinsOverItsOrganisationalDomains() {
        zone.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine").txt("_dmarc.news.example.com", "v=DMARC1; p=none");
        assertThat(discovery.discover("News.Example.com")).isInstanceOfSatisfying(Published.class, found -> {
            assertThat(found.recordName()).isEqualTo("_dmarc.news.example.com");
            assertThat(found.applied()).isEqualTo(Policy.NONE);
        });
        assertThat(discovery.discover("example.com")).isInstanceOfSatisfying(Published.class,
                found -> assertThat(found.applied()).isEqualTo(Policy.REJECT));
    }

    @Test
    void aSubdomainWithoutARecordTakesTheOrganisationalSubdomainPolicy() {
        zone.txt("_dmarc.example.co.uk", "v=DMARC1; p=none; sp=reject");
        assertThat(discovery.discover("shop.example.co.uk")).isInstanceOfSatisfying(Published.class, found -> {
            assertThat(found.recordName()).isEqualTo("_dmarc.example.co.uk");
            assertThat(found.applied()).isEqualTo(Policy.REJECT);
        });
        zone.txt("_dmarc.plain.example.com", "v=spf1 -all");
        zone.txt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        assertThat(discovery.discover("plain.example.com")).isInstanceOfSatisfying(Published.class,
                found -> assertThat(found.applied()).isEqualTo(Policy.QUARANTINE));
    }

    @Test
    void pctZeroAppliesTheNextLowerPolicy() {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject; pct=0").txt("_dmarc.b.example", "v=DMARC1; p=quarantine; pct=0");
        assertThat(discovery.discover("a.example")).isInstanceOfSatisfying(Published.class, found -> assertThat(found.applied()).isEqualTo(Policy.QUARANTINE));
        assertThat(discovery.discover("b.example")).isInstanceOfSatisfying(Published.class, found -> assertThat(found.applied()).isEqualTo(Policy.NONE));
    }

    @Test
    void noneSeveralOrUnparsableRecordsMeanNoPolicyAndAFailedLookupIsUnknown() {
        assertThat(discovery.discover("nothing.example")).isInstanceOf(Absent.class);
        zone.txt("_dmarc.twice.example", "v=DMARC1; p=reject").txt("_dmarc.twice.example", "v=DMARC1; p=none");
        assertThat(discovery.discover("twice.example")).isInstanceOf(Absent.class);
        // several records stop discovery: the organisational domain's is not consulted
        zone.txt("_dmarc.sub.twice.example", "v=DMARC1; p=none").txt("_dmarc.sub.twice.example", "v=DMARC1; p=none");
        assertThat(discovery.discover("sub.twice.example")).isInstanceOf(Absent.class);
        zone.txt("_dmarc.broken.example", "v=DMARC1; p=maybe");
        assertThat(discovery.discover("broken.example")).isInstanceOf(Absent.class);
        zone.timeout("_dmarc.flaky.example");
        assertThat(discovery.discover("flaky.example")).isInstanceOfSatisfying(Unknown.class,
                unknown -> assertThat(unknown.reason()).contains("_dmarc.flaky.example"));
    }
}
