package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainAdvisorTest {
    private final DomainAdvisor advisor = new DomainAdvisor();

    private List<String> codes(String name, Stream stream, List<Stream> others) {
        return advisor.review(name, stream, others).stream().map(DomainWarning::code).toList();
    }

    @ParameterizedTest
    @CsvSource({
        "clienta.com, MARKETING, bulk_stream_on_root_domain",
        "clienta.com, NOTIFICATIONS, bulk_stream_on_root_domain",
        "clienta.co.uk, MARKETING, bulk_stream_on_root_domain",
        "bulk.clienta.com, MARKETING, spammy_subdomain_name",
        "blast.clienta.com, TRANSACTIONAL, spammy_subdomain_name",
        "mass-mail.clienta.com, MARKETING, spammy_subdomain_name",
        "mail2.clienta.com, TRANSACTIONAL, spammy_subdomain_name",
        "mail-v3.clienta.com, MARKETING, spammy_subdomain_name",
        "news.bulk.clienta.com, MARKETING, spammy_subdomain_name",
    })
    void warnsAboutBadPractice(String name, Stream stream, String code) {
        assertThat(codes(name, stream, List.of())).containsExactly(code);
    }

    @ParameterizedTest
    @CsvSource({
        "clienta.com, TRANSACTIONAL",
        "news.clienta.com, MARKETING",
        "tx.clienta.com, TRANSACTIONAL",
        "notify.clienta.com, NOTIFICATIONS",
        "newsletter.clienta.co.uk, MARKETING",
        "massive-deals.clienta.com, MARKETING",
    })
    void staysQuietAboutGoodPractice(String name, Stream stream) {
        assertThat(codes(name, stream, List.of())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void warnsWhenStreamsShareASubdomainAndSuggestsOneForThisStream() {
        var warnings = advisor.review("news.clienta.com", Stream.TRANSACTIONAL, List.of(Stream.MARKETING));
        assertThat(warnings).extracting(DomainWarning::code).containsExactly("subdomain_shared_by_streams");
        assertThat(warnings.getFirst().message()).contains("marketing").contains("tx.clienta.com");
        var rootWarning = advisor.review("clienta.com", Stream.MARKETING, List.of()).getFirst().message();
        assertThat(rootWarning).contains("news.clienta.com");
    }
}
