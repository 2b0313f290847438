package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryZoneTest {
    private final InMemoryZone zone = new InMemoryZone()
            .txt("Example.COM.", "v=spf1 ", "-all")
            .a("mail.example.com", "192.0.2.1")
            .mx("example.com", 10, "mail.example.com.")
            .cname("www.example.com", "mail.example.com")
            .cname("loop1.example.com", "loop2.example.com")
            .cname("loop2.example.com", "loop1.example.com")
            .ptr("1.2.0.192.in-addr.arpa", "mail.example.com.")
            .ptr("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6.arpa", "v6.example.com")
            .spf("spf-only.example.com", "v=spf1 -all")
            .txt("slow.example.com", "v=spf1 -all")
            .timeout("slow.example.com");

    @Test
    void answersInAnyCaseAndJoinsTxtStrings() {
        assertThat(zone.txt("EXAMPLE.com")).isEqualTo(new Answer.Records<>(List.of("v=spf1 -all")));
        assertThat(zone.mx("example.com")).isEqualTo(new Answer.Records<>(List.of(new MxHost(10, "mail.example.com"))));
    }

    @Test
    void tellsMissingNamesFromMissingTypes() {
        assertThat(zone.a("nowhere.example.com")).isInstanceOf(Answer.NxDomain.class);
        assertThat(zone.a("example.com")).isInstanceOf(Answer.NoData.class);
        assertThat(zone.txt("spf-only.example.com")).isInstanceOf(Answer.NoData.class);
        assertThat(zone.a("in-addr.arpa")).as("a name with names below it exists").isInstanceOf(Answer.NoData.class);
    }

    @Test
    void followsCnamesAndFailsOnLoops() {
        assertThat(zone.a("www.example.com")).isEqualTo(new Answer.Records<>(List.of(InetAddress.ofLiteral("192.0.2.1"))));
        assertThat(zone.cname("www.example.com")).isEqualTo(new Answer.Records<>(List.of("mail.example.com")));
        assertThat(zone.a("loop1.example.com")).isInstanceOf(Answer.Failed.class);
    }

    @Test
    void timesOutForTypesTheNameHasNoRecordsOf() {
        assertThat(zone.txt("slow.example.com")).isInstanceOf(Answer.Records.class);
        assertThat(zone.a("slow.example.com")).isInstanceOf(Answer.Failed.class);
    }

    @Test
    void answersReverseLookupsForBothFamilies() {
        assertThat(zone.ptr(InetAddress.ofLiteral("192.0.2.1"))).isEqualTo(new Answer.Records<>(List.of("mail.example.com")));
        assertThat(zone.ptr(InetAddress.ofLiteral("2001:db8::1"))).isEqualTo(new Answer.Records<>(List.of("v6.example.com")));
    }
}
