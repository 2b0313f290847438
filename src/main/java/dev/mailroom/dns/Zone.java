package dev.mailroom.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A zone as the authoritative server answers from it: records by owner name, the SOA, and the
 * names that exist (owners and the empty non-terminals above them, which answer NODATA, not
 * NXDOMAIN).
 */
public final class Zone {
    static final long TTL = 300;
    /** Negative answers (NXDOMAIN, NODATA) may be cached this long: a newly published record shows soon. */
    static final long NEGATIVE_TTL = 60;
    private final Name origin;
    private final SOARecord soa;
    private final Map<Name, List<Record>> byName = new HashMap<>();
    private final Set<Name> existing = new HashSet<>();

    /** @param serial the SOA serial; it must grow whenever the records change */
    public Zone(String origin, String primaryNameServer, long serial, List<ZoneRecord> records) {
        try {
            this.origin = Name.fromString(origin + ".");
            var mailbox = Name.fromString("hostmaster." + origin + ".");
            this.soa = new SOARecord(this.origin, DClass.IN, TTL, Name.fromString(primaryNameServer + "."), mailbox,
                    serial, 3600, 600, 604800, NEGATIVE_TTL);
            add(soa);
            for (var record : records) {
                add(Record.fromString(Name.fromString(record.name() + "."), Type.value(record.type()), DClass.IN, TTL,
                        record.value(), Name.root));
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("zone " + origin + " has an invalid record: " + e.getMessage(), e);
        }
    }

    private void add(Record record) {
        var owner = record.getName();
        if (!owner.subdomain(origin)) {
            throw new IllegalArgumentException(owner + " is outside zone " + origin);
        }
        byName.computeIfAbsent(owner, name -> new ArrayList<>()).add(record);
        for (var name = owner; name.labels() >= origin.labels(); name = parent(name)) {
            existing.add(name);
            if (name.equals(origin)) {
                break;
            }
        }
    }

    public Name origin() {
        return origin;
    }

    SOARecord soa() {
        return soa;
    }

    /** The records a name owns (none for an empty non-terminal or a name that does not exist). */
    List<Record> recordsAt(Name name) {
        return byName.getOrDefault(name, List.of());
    }

    boolean exists(Name name) {
        return existing.contains(name);
    }

    private static Name parent(Name name) {
        return new Name(name, 1);
    }

    static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
