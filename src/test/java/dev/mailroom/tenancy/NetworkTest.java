package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkTest {
    @Test
    void containsAddressesInsideItsPrefixOnly() {
        var network = Network.parse("203.0.113.0/24");
        assertThat(network.contains(InetAddress.ofLiteral("203.0.113.77"))).isTrue();
        assertThat(network.contains(InetAddress.ofLiteral("203.0.114.1"))).isFalse();
        assertThat(network.contains(InetAddress.ofLiteral("2001:db8::1"))).isFalse();
        var v6 = Network.parse("2001:db8:1::/48");
        assertThat(v6.contains(InetAddress.ofLiteral("2001:db8:1:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.ofLiteral("2001:db8:2::1"))).isFalse();
        assertThat(Network.parse("198.51.100.9").canonical()).isEqualTo("198.51.100.9/32");
        assertThat(Network.parse("10.0.0.0/12").contains(InetAddress.ofLiteral("10.15.255.255"))).isTrue();
    }

    @Test
    void refusesNonsenseHostBitsAndOverlyBroadNetworks() {
        assertThatThrownBy(() -> Network.parse("203.0.113.7/24")).hasMessageContaining("203.0.113.0/24");
        assertThatThrownBy(() -> Network.parse("0.0.0.0/0")).hasMessageContaining("too broad");
        assertThatThrownBy(() -> Network.parse("::/0")).hasMessageContaining("too broad");
        assertThatThrownBy(() -> Network.parse("mail.example.com/24")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Network.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Network.parse("10.0.0.0/x")).hasMessageContaining("prefix");
    }
}
