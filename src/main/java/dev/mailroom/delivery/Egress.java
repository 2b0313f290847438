package dev.mailroom.delivery;

import dev.mailroom.smtp.ClientSettings;
import java.net.InetAddress;

/** Where a tenant's mail leaves from: an address of its IP pool (or the machine's default), or a relay. */
public sealed interface Egress {
    /** The name its connections are grouped and limited by. */
    String name();

    /**
     * Straight to the recipients' MX hosts from {@code source} (null: the address the system picks),
     * greeting with {@code heloName}.
     */
    record Direct(InetAddress source, String heloName) implements Egress {
        @Override
        public String name() {
            return source == null ? "default" : source.getHostAddress();
        }
    }

    /**
     * Through a smarthost: the agency's ESP account for overflow, or a client's own relay.
     *
     * @param username null: no AUTH
     */
    record Relay(String host, int port, ClientSettings.TlsPolicy tls, String username, String password, String heloName) implements Egress {
        @Override
        public String name() {
            return "relay:" + host + ":" + port + (username == null ? "" : ":" + username);
        }

        @Override
        public String toString() {
            return "Relay[" + name() + "]"; // never the password
        }
    }
}
