package dev.mailroom.dns.verify;

import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.RecordPurpose;
import dev.mailroom.dns.RecordStatus;
import dev.mailroom.dns.InMemoryZone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.dns.verify.RecordCheck.Known;
import org.junit.jupiter.api.Test;

class RecordVerifierTest {
    private static final String DKIM_TARGET = "tx20261124r.tok123.dkim.mailroom.example";
    private static final DnsRecord DKIM_CNAME = record(RecordPurpose.DKIM, "CNAME", "tx20261124r._domainkey.tx.clienta.com", DKIM_TARGET);
    private static final DnsRecord DKIM_TXT = record(RecordPurpose.DKIM, "TXT", "tx20261124r._domainkey.tx.clienta.com", "v=DKIM1; k=rsa; p=AAAB");
    private static final DnsRecord DMARC = record(RecordPurpose.DMARC, "TXT", "_dmarc.tx.clienta.com",
            "v=DMARC1; p=none; rua=mailto:dmarc+tok123@mailroom.example");
    private static final DnsRecord SPF = record(RecordPurpose.SPF, "TXT", "rp.tx.clienta.com", "v=spf1 include:rp.mailroom.example -all");
    private static final DnsRecord MX = record(RecordPurpose.RETURN_PATH, "MX", "rp.tx.clienta.com", "10 mx.mailroom.example");
    private static final DnsRecord NS = record(RecordPurpose.NS, "NS", "tx.clienta.com", "ns.mailroom.example");

    private static DnsRecord record(RecordPurpose purpose, String type, String name, String value) {
        return new DnsRecord(purpose, type, name, value, true, RecordStatus.PENDING, "");
    }

    private static Known known(RecordCheck check) {
        assertThat(check).isInstanceOf(Known.class);
        return (Known) check;
    }

    @Test
    void cnames() {
        assertThat(known(new RecordVerifier(new InMemoryZone().cname(DKIM_CNAME.name(), DKIM_TARGET + ".")).check(DKIM_CNAME)).status())
                .isEqualTo(RecordStatus.VERIFIED);
        var elsewhere = known(new RecordVerifier(new InMemoryZone().cname(DKIM_CNAME.name(), "x.other.example")).check(DKIM_CNAME));
        assertThat(elsewhere).isEqualTo(new Known(RecordStatus.INVALID, "CNAME points to x.other.example, expected " + DKIM_TARGET));
        assertThat(known(new RecordVerifier(new InMemoryZone()).check(DKIM_CNAME)).status()).isEqualTo(RecordStatus.MISSING);
        var keyInstead = known(new RecordVerifier(new InMemoryZone().txt(DKIM_CNAME.name(), "v=DKIM1; p=AAAB")).check(DKIM_CNAME));
        assertThat(keyInstead.status()).isEqualTo(RecordStatus.INVALID);
        assertThat(keyInstead.detail()).contains("TXT key").contains("instead of the CNAME");
    }

    @Test
    void dkimKeysPublishedAsTxt() {
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DKIM_TXT.name(), "v=DKIM1; k=rsa; ", "p=AA AB")).check(DKIM_TXT)).status())
                .isEqualTo(RecordStatus.VERIFIED);
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DKIM_TXT.name(), "v=DKIM1; k=rsa; p=ZZZZ")).check(DKIM_TXT)).detail())
                .startsWith("a different key is published");
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DKIM_TXT.name(), "v=DKIM1; p=AAAB").txt(DKIM_TXT.name(), "v=DKIM1; p=CCCC"))
                .check(DKIM_TXT)).detail()).startsWith("2 TXT records");
    }

    @Test
    void dmarc() {
        assertThat(known(new RecordVerifier(new InMemoryZone()).check(DMARC)).status()).isEqualTo(RecordStatus.MISSING);
        var ours = "v=DMARC1; p=quarantine; rua=mailto:own@clienta.com,mailto:dmarc+tok123@mailroom.example";
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DMARC.name(), ours)).check(DMARC)))
                .isEqualTo(new Known(RecordStatus.VERIFIED, "DMARC published with p=quarantine"));
        var two = new InMemoryZone().txt(DMARC.name(), ours).txt(DMARC.name(), "v=DMARC1; p=none");
        assertThat(known(new RecordVerifier(two).check(DMARC)).detail()).startsWith("2 DMARC records");
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DMARC.name(), "v=DMARC1; p=none; rua=mailto:own@clienta.com")).check(DMARC))
                .detail()).contains("rua does not include dmarc+tok123@mailroom.example");
        var reject = known(new RecordVerifier(new InMemoryZone().txt(DMARC.name(), "v=DMARC1; p=reject; rua=mailto:dmarc+tok123@mailroom.example"))
                .check(DMARC));
        assertThat(reject.status()).isEqualTo(RecordStatus.VERIFIED);
        assertThat(reject.detail()).contains("p=reject before reports");
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(DMARC.name(), "v=DMARC1; p=maybe")).check(DMARC)).detail())
                .startsWith("DMARC record does not parse");
    }

    @Test
    void spf() {
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(SPF.name(), SPF.value())).check(SPF)).status()).isEqualTo(RecordStatus.VERIFIED);
        var two = new InMemoryZone().txt(SPF.name(), SPF.value()).txt(SPF.name(), "v=spf1 -all");
        assertThat(known(new RecordVerifier(two).check(SPF)).detail()).startsWith("two SPF records");
        assertThat(known(new RecordVerifier(new InMemoryZone().txt(SPF.name(), "v=spf1 a -all")).check(SPF)).detail())
                .startsWith("SPF record does not contain include:rp.mailroom.example");
        var parent = known(new RecordVerifier(new InMemoryZone().txt(SPF.name(), "v=spf1 include:rp.mailroom.example include:clienta.com -all")
                .txt("clienta.com", "v=spf1 mx -all")).check(SPF));
        assertThat(parent.status()).isEqualTo(RecordStatus.VERIFIED);
        assertThat(parent.detail()).contains("also its parent clienta.com");
    }

    @Test
    void spfOverTheLookupLimit() {
        var zone = new InMemoryZone().txt(SPF.name(), "v=spf1 include:rp.mailroom.example include:big.example -all")
                .txt("rp.mailroom.example", "v=spf1 ip4:192.0.2.0/24 -all")
                .txt("big.example", "v=spf1 a mx include:more.example exists:%{i}.x.example -all")
                .txt("more.example", "v=spf1 a mx ptr a:one.example a:two.example mx:three.example redirect=last.example")
                .txt("last.example", "v=spf1 a -all");
        assertThat(known(new RecordVerifier(zone).check(SPF)))
                .isEqualTo(new Known(RecordStatus.INVALID, "SPF needs 14 lookups, limit is 10: receivers answer permerror; flatten or drop includes"));
    }

    @Test
    void aNameIncludedFromTwoPlacesCountsTwiceAndRedirectBesideAllNotAtAll() {
        var zone = new InMemoryZone().txt(SPF.name(), "v=spf1 include:rp.mailroom.example include:a.example include:b.example -all")
                .txt("rp.mailroom.example", "v=spf1 ip4:192.0.2.0/24 -all")
                .txt("a.example", "v=spf1 include:c.example -all")
                .txt("b.example", "v=spf1 include:c.example -all redirect=d.example")
                .txt("c.example", "v=spf1 a mx ptr exists:x.example -all")
                .txt("d.example", "v=spf1 a -all");
        // 3 + (1 + 4) + (1 + 4): the redirect beside -all is never used
        assertThat(known(new RecordVerifier(zone).check(SPF)).detail()).startsWith("SPF needs 13 lookups");
    }

    @Test
    void mxAndNs() {
        assertThat(known(new RecordVerifier(new InMemoryZone().mx(MX.name(), 10, "mx.mailroom.example")).check(MX)).status())
                .isEqualTo(RecordStatus.VERIFIED);
        assertThat(known(new RecordVerifier(new InMemoryZone().mx(MX.name(), 10, "mx.other.example")).check(MX)).detail())
                .isEqualTo("MX names mx.other.example, expected mx.mailroom.example");
        assertThat(known(new RecordVerifier(new InMemoryZone().ns(NS.name(), "ns.mailroom.example")).check(NS)).status())
                .isEqualTo(RecordStatus.VERIFIED);
        assertThat(known(new RecordVerifier(new InMemoryZone()).check(NS)).status()).isEqualTo(RecordStatus.MISSING);
    }

    @Test
    void aLookupThatFailsIsUnknownNotMissing() {
        var zone = new InMemoryZone().timeout(DKIM_CNAME.name()).timeout(DMARC.name()).timeout(MX.name());
        assertThat(new RecordVerifier(zone).check(DKIM_CNAME)).isInstanceOf(RecordCheck.Unknown.class);
        assertThat(new RecordVerifier(zone).check(DMARC)).isInstanceOf(RecordCheck.Unknown.class);
        assertThat(new RecordVerifier(zone).check(MX)).isInstanceOf(RecordCheck.Unknown.class);
    }
}
