package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DmarcRecordTest {
    @Test
    void readsEveryTag() {
        var record = DmarcRecord.parse("v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:d@rua.example!10m, mailto:x@y.example;"
                + " ruf=mailto:f@ruf.example; adkim=s; aspf=r; fo=1:d; ri=3600");
        assertThat(record.policy()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
        assertThat(record.subdomainPolicy()).isEqualTo(DmarcRecord.Policy.REJECT);
        assertThat(record.percent()).isEqualTo(50);
        assertThat(record.aggregateReportAddresses()).containsExactly("d@rua.example", "x@y.example");
        assertThat(record.failureReportUris()).containsExactly("mailto:f@ruf.example");
        assertThat(record.dkimAlignment()).isEqualTo(Alignment.Mode.STRICT);
        assertThat(record.spfAlignment()).isEqualTo(Alignment.Mode.RELAXED);
        assertThat(record.failureOptions()).containsExactly("1", "d");
        assertThat(record.reportIntervalSeconds()).isEqualTo(3600);
    }

    @Test
    void appliesTheRfcDefaults() {
        var record = DmarcRecord.parse("v=DMARC1; p=none; rua=mailto:dmarc+abc@mailroom.localhost");
        assertThat(record.subdomainPolicy()).isEqualTo(DmarcRecord.Policy.NONE);
        assertThat(record.percent()).isEqualTo(100);
        assertThat(record.dkimAlignment()).isEqualTo(Alignment.Mode.RELAXED);
        assertThat(record.failureOptions()).isEqualTo(List.of("0"));
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:a@b.example").policy()).isEqualTo(DmarcRecord.Policy.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p=none", "v=DMARC2; p=none", "p=none; v=DMARC1", "v=DMARC1", "v=DMARC1; p=block",
        "v=DMARC1; p=none; pct=150", "v=DMARC1; p=none; adkim=x", "v=DMARC1; p=none; rua=https://x", "v=DMARC1; p=none; fo=2"})
    void refusesBrokenRecords(String text) {
        assertThatThrownBy(() -> DmarcRecord.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "news.clienta.com, news.clienta.com, STRICT, true",
        "rp.news.clienta.com, news.clienta.com, STRICT, false",
        "rp.news.clienta.com, news.clienta.com, RELAXED, true",
        "clienta.com, news.clienta.com, RELAXED, true",
        "mailroom.example, news.clienta.com, RELAXED, false",
        "a.clienta.co.uk, b.clienta.co.uk, RELAXED, true",
        "clienta.co.uk, clientb.co.uk, RELAXED, false",
        "News.ClientA.com., news.clienta.com, STRICT, true",
    })
    void alignsByOrganisationalDomainWhenRelaxed(String authenticated, String from, Alignment.Mode mode, boolean aligned) {
        assertThat(Alignment.aligned(authenticated, from, mode)).isEqualTo(aligned);
    }
}
