package dev.mailroom.dns;

import java.util.List;

/** Where the authoritative server gets the zones it serves: read on every query, so keep it cheap. */
@FunctionalInterface
public interface ZoneSource {
    List<Zone> zones();
}
