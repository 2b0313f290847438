package dev.mailroom.dns;

import java.util.List;

/**
 * What a DNS question got back. A lookup that failed (timeout, SERVFAIL) is its own case and
 * never reads as "the record is missing": callers must decide what an unknown means.
 */
public sealed interface Answer<T> {
    /** One or more records of the type asked for (after following CNAMEs). */
    record Records<T>(List<T> values) implements Answer<T> {
        public Records {
            values = List.copyOf(values);
        }
    }

    /** The name exists but has no records of that type. */
    record NoData<T>() implements Answer<T> {}

    /** The name does not exist. */
    record NxDomain<T>() implements Answer<T> {}

    /** No answer could be had; nothing is known about the records. */
    record Failed<T>(String reason) implements Answer<T> {}

    /** The records, or an empty list for NoData and NxDomain; a failure throws. */
    default List<T> valuesOrEmpty() {
        return switch (this) {
            case Records<T> records -> records.values();
            case NoData<T> ignored -> List.of();
            case NxDomain<T> ignored -> List.of();
            case Failed<T> failed -> throw new IllegalStateException("DNS lookup failed: " + failed.reason());
        };
    }
}
