package dev.mailroom.dkim;

import dev.mailroom.dns.Answer;
import dev.mailroom.dns.DnsLookup;
import dev.mailroom.dns.MxHost;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** DNS that knows only TXT records: what a DKIM verifier asks. */
class TxtRecords implements DnsLookup {
    private final Map<String, List<String>> records = new HashMap<>();

    TxtRecords put(String name, String... values) {
        records.put(name.toLowerCase(Locale.ROOT), List.of(values));
        return this;
    }

    @Override
    public Answer<String> txt(String name) {
        var values = records.get(name.toLowerCase(Locale.ROOT));
        return values == null ? new Answer.NxDomain<>() : new Answer.Records<>(values);
    }

    @Override
    public Answer<InetAddress> a(String name) {
        return new Answer.NxDomain<>();
    }

    @Override
    public Answer<InetAddress> aaaa(String name) {
        return new Answer.NxDomain<>();
    }

    @Override
    public Answer<MxHost> mx(String name) {
        return new Answer.NxDomain<>();
    }

    @Override
    public Answer<String> ptr(InetAddress address) {
        return new Answer.NxDomain<>();
    }

    @Override
    public Answer<String> cname(String name) {
        return new Answer.NxDomain<>();
    }

    @Override
    public Answer<String> ns(String name) {
        return new Answer.NxDomain<>();
    }
}
