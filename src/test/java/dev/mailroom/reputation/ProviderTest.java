package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which provider a recipient is with: by the MX host that answered, else by the address's domain. */
class ProviderTest {
    @ParameterizedTest
    @CsvSource({
            "gmail-smtp-in.l.google.com, GMAIL", "ALT1.ASPMX.L.GOOGLE.COM., GMAIL", "mx.googlemail.com, GMAIL",
            "clienta-com.mail.protection.outlook.com, MICROSOFT", "eur.olc.protection.outlook.com, MICROSOFT", "mx1.hotmail.com, MICROSOFT",
            "mta7.am0.yahoodns.net, YAHOO", "mx-eu.mail.am0.yahoodns.net, YAHOO",
            "mx.example.org, OTHER", "notgoogle.com, OTHER", "google.com.evil.example, OTHER"})
    void byMxHost(String host, Provider expected) {
        assertThat(Provider.ofMxHost(host)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "a@gmail.com, GMAIL", "a@GoogleMail.com, GMAIL", "a@outlook.com, MICROSOFT", "a@hotmail.co.uk, MICROSOFT",
            "a@live.fr, MICROSOFT", "a@msn.com, MICROSOFT", "a@yahoo.co.jp, YAHOO", "a@yahoo.com, YAHOO", "a@aol.com, YAHOO",
            "a@ymail.com, YAHOO", "a@example.org, OTHER", "a@mygmail.com, OTHER", "a@hotmail.example.org, OTHER", "a@localhost, OTHER"})
    void byRecipientDomain(String address, Provider expected) {
        assertThat(Provider.ofAddress(address)).isEqualTo(expected);
    }

    @Test
    void theMxHostDecidesWhenItTellsAndTheAddressOtherwise() {
        // a company domain hosted by Google is Gmail's to judge
        assertThat(Provider.of("aspmx.l.google.com", "ceo@clienta.example")).isEqualTo(Provider.GMAIL);
        assertThat(Provider.of("mx.relay.example", "a@yahoo.fr")).isEqualTo(Provider.YAHOO);
        assertThat(Provider.of("", "a@hotmail.com")).isEqualTo(Provider.MICROSOFT);
        assertThat(Provider.of(null, null)).isEqualTo(Provider.OTHER);
    }
}
