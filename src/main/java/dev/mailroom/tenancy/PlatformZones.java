package dev.mailroom.tenancy;

import com.google.common.net.InetAddresses;
import dev.mailroom.dns.DnsRecord;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.dns.RecordPlanner;
import dev.mailroom.dns.Zone;
import dev.mailroom.dns.ZoneRecord;
import dev.mailroom.dns.ZoneSource;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The zones Mailroom's DNS server answers for, built from the domains in the store: the
 * platform zone (DKIM keys at the CNAME targets, {@code rp.} MX and SPF, {@code mx.},
 * {@code track.}, {@code ns.}, and the DMARC report authorisations
 * {@code <domain>._report._dmarc}) and one zone per delegated client subdomain. Rebuilt at
 * most every {@code refresh}; the SOA serial grows whenever the contents change.
 */
public final class PlatformZones implements ZoneSource {
    private final DomainRepository domains;
    private final RecordPlanner planner;
    private final String platformDomain;
    private final List<InetAddress> addresses;
    private final java.util.function.Supplier<List<InetAddress>> sendingAddresses;
    private final Duration refresh;
    private final Clock clock;
    private volatile Snapshot snapshot;
    /** Grows with every change announced; a snapshot built before the latest one is stale. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private record Snapshot(List<Zone> zones, List<List<ZoneRecord>> contents, long serial, long generation, Instant builtAt) {
        boolean freshAt(Instant now, long currentGeneration, Duration refresh) {
            return generation == currentGeneration && now.isBefore(builtAt.plus(refresh));
        }
    }

    /**
     * @param addresses where this installation's MX, tracking host and name server are reached
     * @param sendingAddresses the source addresses of the IP pools (call {@link #invalidate} when they change): with
     *     {@code addresses}, the SPF record of {@code rp.} names them
     */
    public PlatformZones(DomainRepository domains, RecordPlanner planner, String platformDomain, List<InetAddress> addresses,
            java.util.function.Supplier<List<InetAddress>> sendingAddresses, Duration refresh, Clock clock) {
        this.sendingAddresses = sendingAddresses;
        this.domains = domains;
        this.planner = planner;
        this.platformDomain = platformDomain;
        this.addresses = List.copyOf(addresses);
        this.refresh = refresh;
        this.clock = clock;
    }

    @Override
    public List<Zone> zones() {
        var current = snapshot;
        if (current != null && current.freshAt(clock.instant(), generation.get(), refresh)) {
            return current.zones();
        }
        return rebuild().zones();
    }

    /** Makes the next query see the store as it is now (after a domain is added, removed or rotated). */
    public void invalidate() {
        generation.incrementAndGet();
    }

    private synchronized Snapshot rebuild() {
        var now = clock.instant();
        long building = generation.get();
        var previous = snapshot;
        if (previous != null && previous.freshAt(now, building, refresh)) {
            return previous; // another thread rebuilt it while this one waited
        }
        var all = domains.list(Scope.AGENCY, null, Integer.MAX_VALUE - 1).data().stream()
                .filter(domain -> !planner.insidePlatformZone(domain.name()))
                .toList();
        var keys = domains.allKeys();
        var contents = new ArrayList<List<ZoneRecord>>();
        contents.add(platformRecords(all, keys));
        var delegated = all.stream().filter(d -> d.setup() == DnsSetup.DELEGATE)
                .collect(Collectors.groupingBy(Domain::name, LinkedHashMap::new, Collectors.toList()));
        delegated.forEach((name, entries) -> contents.add(delegatedRecords(name, entries, keys)));
        // the serial moves on only when what is served changes, as secondaries and caches expect
        long serial = previous != null && previous.contents().equals(contents) ? previous.serial()
                : Math.max(now.getEpochSecond(), previous == null ? 0 : previous.serial() + 1);
        var zones = new ArrayList<Zone>();
        zones.add(new Zone(platformDomain, "ns." + platformDomain, serial, contents.getFirst()));
        int index = 1;
        for (var name : delegated.keySet()) {
            zones.add(new Zone(name, "ns." + platformDomain, serial, contents.get(index++)));
        }
        var built = new Snapshot(List.copyOf(zones), List.copyOf(contents), serial, building, now);
        snapshot = built;
        return built;
    }

    private List<ZoneRecord> platformRecords(List<Domain> all, java.util.Map<String, List<DomainKey>> keys) {
        var records = new ArrayList<ZoneRecord>();
        records.add(new ZoneRecord(platformDomain, "NS", "ns." + platformDomain + "."));
        for (var host : List.of("ns", "mx", "track")) {
            for (var address : addresses) {
                records.add(new ZoneRecord(host + "." + platformDomain, address instanceof Inet4Address ? "A" : "AAAA", InetAddresses.toAddrString(address)));
            }
        }
        var rp = "rp." + platformDomain;
        records.add(new ZoneRecord(rp, "MX", "10 mx." + platformDomain + "."));
        var spf = new StringBuilder("v=spf1");
        var senders = new java.util.LinkedHashSet<>(addresses);
        senders.addAll(sendingAddresses.get());
        senders.forEach(address -> spf.append(address instanceof Inet4Address ? " ip4:" : " ip6:").append(InetAddresses.toAddrString(address)));
        records.add(new ZoneRecord(rp, "TXT", DnsRecord.quotedStrings(spf.append(" -all").toString())));
        for (var name : all.stream().map(Domain::name).distinct().sorted().toList()) {
            records.add(new ZoneRecord(name + "._report._dmarc." + platformDomain, "TXT", "\"v=DMARC1\""));
        }
        for (var domain : all) {
            if (domain.setup() != DnsSetup.CNAME) {
                continue;
            }
            for (var key : keys.getOrDefault(domain.id(), List.of())) {
                records.add(new ZoneRecord(key.selector() + "." + domain.token() + ".dkim." + platformDomain, "TXT",
                        DnsRecord.quotedStrings(key.algorithm().keyRecord(key.publicKey()))));
            }
        }
        return records;
    }

    /** A delegated subdomain's zone: what the txt setup would ask the client to publish, plus SPF and MX at the apex. */
    private List<ZoneRecord> delegatedRecords(String name, List<Domain> entries, java.util.Map<String, List<DomainKey>> keys) {
        var records = new ArrayList<ZoneRecord>();
        records.add(new ZoneRecord(name, "NS", "ns." + platformDomain + "."));
        records.add(new ZoneRecord(name, "MX", "10 mx." + platformDomain + "."));
        records.add(new ZoneRecord(name, "TXT", DnsRecord.quotedStrings("v=spf1 include:rp." + platformDomain + " -all")));
        var seen = new java.util.HashSet<String>();
        for (var domain : entries.stream().sorted(Comparator.comparing(Domain::id)).toList()) {
            var published = DomainService.selectors(domain, keys.getOrDefault(domain.id(), List.of()));
            for (var record : planner.plan(name, domain.token(), DnsSetup.TXT, domain.stream().isBulk(), published)) {
                if (seen.add(record.type() + " " + record.name())) {
                    records.add(new ZoneRecord(record.name(), record.type(), record.zoneValue()));
                }
            }
        }
        return records;
    }
}
