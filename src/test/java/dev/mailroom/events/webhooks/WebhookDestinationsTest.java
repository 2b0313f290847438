package dev.mailroom.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDestinationsTest {
    private final Destinations literalOnly = new Destinations(false, InetAddress::getAllByName);

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "198.18.0.1", "[::1]", "[::]", "[fd00::1]",
            "[fc00::5]", "[fe80::1]", "[ff02::1]", "[::ffff:10.0.0.1]", "[64:ff9b::a00:1]"})
    void nonPublicAddressesAreRefused(String host) {
        assertThat(literalOnly.refusal(URI.create("https://" + host + "/hook"))).get().asString().contains("not a public address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]"})
    void publicAddressesAreAllowed(String host) {
        assertThat(literalOnly.refusal(URI.create("https://" + host + "/hook"))).isEmpty();
    }

    @Test
    void aNameIsCheckedByEveryAddressItResolvesToEachTime() throws Exception {
        var answers = new java.util.concurrent.ConcurrentHashMap<>(Map.of("hooks.example",
                new InetAddress[] {InetAddress.ofLiteral("93.184.216.34")}));
        var destinations = new Destinations(false, host -> {
            var addresses = answers.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses;
        });
        var url = URI.create("https://hooks.example/in");
        assertThat(destinations.refusal(url)).isEmpty();
        answers.put("hooks.example", new InetAddress[] {InetAddress.ofLiteral("93.184.216.34"), InetAddress.ofLiteral("10.0.0.7")});
        assertThat(destinations.refusal(url)).get().asString().isEqualTo(
                "hooks.example resolves to 10.0.0.7, which is not a public address (webhooks.allow_private is off)");
        assertThat(destinations.refusal(URI.create("https://nowhere.example/"))).get().asString().isEqualTo("nowhere.example does not resolve");
    }

    @Test
    void privateDestinationsAreAllowedWhenConfiguredSo() {
        var allowing = new Destinations(true, host -> {
            throw new AssertionError("nothing is resolved when private destinations are allowed");
        });
        assertThat(allowing.refusal(URI.create("http://127.0.0.1:8080/hook"))).isEmpty();
    }

    @Test
    void urlsAreHttpOrHttpsWithAHostAndNoCredentials() {
        assertThat(literalOnly.parse("https://hooks.example.com/mailroom?x=1")).hasHost("hooks.example.com");
        assertThat(literalOnly.parse("HTTP://hooks.example.com:8080/")).hasPort(8080);
        assertThatThrownBy(() -> literalOnly.parse("ftp://hooks.example.com/")).hasMessage("must be an https:// (or http://) URL");
        assertThatThrownBy(() -> literalOnly.parse("hooks.example.com/x")).hasMessage("must be an https:// (or http://) URL");
        assertThatThrownBy(() -> literalOnly.parse("https:///x")).hasMessageStartingWith("has no host");
        assertThatThrownBy(() -> literalOnly.parse("https://user:pw@hooks.example.com/")).hasMessageContaining("user name or password");
        assertThatThrownBy(() -> literalOnly.parse("https://hooks.example.com/a b")).hasMessageStartingWith("is not a URL");
        assertThatThrownBy(() -> literalOnly.parse("https://h.example/" + "x".repeat(2000))).hasMessageStartingWith("is longer than");
    }
}
