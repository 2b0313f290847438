package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordPlannerTest {
    private final RecordPlanner planner = new RecordPlanner("mailroom.example");
    private final List<RecordPlanner.DkimKey> keys = List.of(
            new RecordPlanner.DkimKey("mk20261124r", "v=DKIM1; k=rsa; p=" + "A".repeat(392), true, RecordPlanner.KeyRole.ACTIVE),
            new RecordPlanner.DkimKey("mk20261124e", "v=DKIM1; k=ed25519; p=" + "B".repeat(44), false, RecordPlanner.KeyRole.ACTIVE));

    private static DnsRecord record(List<DnsRecord> records, RecordPurpose purpose, String type) {
        return records.stream().filter(r -> r.purpose() == purpose && r.type().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void cnameSetupPointsEverythingAtThePlatformZone() {
        var records = planner.plan("news.clienta.com", "tok123", DnsSetup.CNAME, true, keys);
        assertThat(records).extracting(DnsRecord::name).containsExactly(
                "mk20261124r._domainkey.news.clienta.com", "mk20261124e._domainkey.news.clienta.com",
                "rp.news.clienta.com", "t.news.clienta.com", "_dmarc.news.clienta.com");
        assertThat(records.get(0)).isEqualTo(new DnsRecord(RecordPurpose.DKIM, "CNAME", "mk20261124r._domainkey.news.clienta.com",
                "mk20261124r.tok123.dkim.mailroom.example", true, RecordStatus.PENDING, records.get(0).detail()));
        assertThat(record(records, RecordPurpose.RETURN_PATH, "CNAME").value()).isEqualTo("rp.mailroom.example");
        assertThat(record(records, RecordPurpose.TRACKING, "CNAME").value()).isEqualTo("track.mailroom.example");
        assertThat(record(records, RecordPurpose.TRACKING, "CNAME").required()).isFalse();
        var dmarc = record(records, RecordPurpose.DMARC, "TXT");
        assertThat(dmarc.value()).isEqualTo("v=DMARC1; p=none; rua=mailto:dmarc+tok123@mailroom.example");
        assertThat(dmarc.required()).isTrue();
        assertThat(records).allSatisfy(r -> assertThat(r.status()).isEqualTo(RecordStatus.PENDING));
    }

    @Test
    void dmarcIsRecommendedRatherThanRequiredForTransactionalMail() {
        var records = planner.plan("tx.clienta.com", "tok123", DnsSetup.CNAME, false, keys);
        assertThat(record(records, RecordPurpose.DMARC, "TXT").required()).isFalse();
    }

    @Test
    void txtSetupPublishesKeysAndAnSpfInclude() {
        var records = planner.plan("tx.clienta.com", "tok123", DnsSetup.TXT, false, keys);
        assertThat(record(records, RecordPurpose.DKIM, "TXT").value()).startsWith("v=DKIM1; k=rsa; p=");
        assertThat(record(records, RecordPurpose.RETURN_PATH, "MX").value()).isEqualTo("10 mx.mailroom.example");
        var spf = record(records, RecordPurpose.SPF, "TXT");
        assertThat(spf.name()).isEqualTo("rp.tx.clienta.com");
        assertThat(spf.value()).isEqualTo("v=spf1 include:rp.mailroom.example -all");
    }

    @Test
    void delegateSetupAsksForOneNsRecord() {
        assertThat(planner.plan("news.clienta.com", "tok123", DnsSetup.DELEGATE, true, keys)).containsExactly(
                new DnsRecord(RecordPurpose.NS, "NS", "news.clienta.com", "ns.mailroom.example", true, RecordStatus.PENDING,
                        "delegates the subdomain; Mailroom's DNS then serves DKIM, return path, SPF and DMARC"));
    }

    @Test
    void zoneLinesQuoteAndSplitLongTxtValues() {
        var records = planner.plan("tx.clienta.com", "tok123", DnsSetup.TXT, false, keys);
        var rsa = record(records, RecordPurpose.DKIM, "TXT").zoneLine();
        assertThat(rsa).startsWith("mk20261124r._domainkey.tx.clienta.com. 3600 IN TXT \"v=DKIM1; k=rsa; p=");
        var strings = rsa.substring(rsa.indexOf('"')).split("\" \"");
        assertThat(strings).hasSize(2);
        assertThat(strings[0].length() - 1).isEqualTo(255);
        assertThat(record(records, RecordPurpose.RETURN_PATH, "MX").zoneLine()).isEqualTo("rp.tx.clienta.com. 3600 IN MX 10 mx.mailroom.example.");
        var cname = planner.plan("news.clienta.com", "tok123", DnsSetup.CNAME, true, keys).get(2).zoneLine();
        assertThat(cname).isEqualTo("rp.news.clienta.com. 3600 IN CNAME rp.mailroom.example.");
    }
}
