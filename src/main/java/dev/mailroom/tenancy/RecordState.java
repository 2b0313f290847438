package dev.mailroom.tenancy;

import dev.mailroom.dns.RecordStatus;
import java.time.Instant;

/** The last known state of one record of a domain, keyed by the record's name and type. */
public record RecordState(String name, String type, RecordStatus status, String detail, Instant checkedAt) {
    public String key() {
        return key(name, type);
    }

    public static String key(String name, String type) {
        return type + " " + name;
    }
}
