package dev.mailroom.delivery;

import dev.mailroom.dns.MxHost;
import java.util.List;

/** Where mail for a domain goes, as DNS says now (RFC 5321 section 5.1, RFC 7505). */
public sealed interface Route {
    /**
     * The hosts to try, best first (equal preferences in random order, to spread the load);
     * {@code implicit} when there was no MX and the domain's own address stands in for one.
     */
    record Hosts(List<MxHost> hosts, boolean implicit) implements Route {
        public Hosts {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("a route has at least one host");
            }
        }

        /** The receiving site: the set of MX hosts, so domains one provider hosts share their limits. */
        public ReceivingSite site() {
            return ReceivingSite.of(hosts);
        }
    }

    /** The domain publishes a null MX: it accepts no mail, so its recipients bounce at once. */
    record NullMx() implements Route {}

    /** The domain does not exist, or has neither MX nor address: a bounce once this persists. */
    record NoHosts(String reason) implements Route {}

    /** DNS gave no answer: nothing is known, so try again later. */
    record Unknown(String reason) implements Route {}
}
