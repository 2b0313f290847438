package dev.mailroom.delivery;

import dev.mailroom.dns.MxHost;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A receiving site: the mail servers behind a set of domains, named by the sorted set of their
 * MX hosts. Thousands of domains hosted by one provider publish the same MX set, so they share
 * one site and one set of limits, as KumoMTA and other bulk MTAs group them.
 */
public record ReceivingSite(String name) {
    public static ReceivingSite of(List<MxHost> hosts) {
        var names = new TreeSet<String>();
        hosts.forEach(host -> names.add(host.host().toLowerCase(Locale.ROOT)));
        return new ReceivingSite(String.join(",", names));
    }
}
