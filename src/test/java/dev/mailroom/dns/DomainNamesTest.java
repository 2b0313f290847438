package dev.mailroom.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {
    @ParameterizedTest
    @CsvSource({
        "news.clienta.com, news.clienta.com",
        "'  News.ClientA.COM.  ', news.clienta.com",
        "bücher.example, xn--bcher-kva.example",
        "a-b.example.co.uk, a-b.example.co.uk",
    })
    void normalisesToCanonicalForm(String input, String expected) {
        assertThat(DomainNames.normalise(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "com", "co.uk", "localhost", "a..example.com", "-a.example.com", "a-.example.com",
        "under_score.example.com", "10.0.0.1", "a b.example.com", "*.example.com"})
    void refusesWhatCannotBeASendingDomain(String input) {
        assertThatThrownBy(() -> DomainNames.normalise(input)).isInstanceOf(InvalidDomainNameException.class);
    }

    @org.junit.jupiter.api.Test
    void refusesOverlongNamesAndLabels() {
        assertThatThrownBy(() -> DomainNames.normalise("a".repeat(64) + ".example.com")).hasMessageContaining("63");
        var longName = ("a".repeat(60) + ".").repeat(5) + "example.com";
        assertThatThrownBy(() -> DomainNames.normalise(longName)).hasMessageContaining("253");
    }

    @ParameterizedTest
    @CsvSource({
        "news.clienta.com, clienta.com",
        "clienta.com, clienta.com",
        "a.b.clienta.co.uk, clienta.co.uk",
        "news.clienta.example, clienta.example",
        "x.y.test, y.test",
    })
    void findsTheOrganisationalDomain(String name, String expected) {
        assertThat(DomainNames.organisationalDomain(name)).isEqualTo(expected);
    }
}
