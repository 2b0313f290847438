package dev.mailroom.dns;

import java.util.ArrayList;

/** A record a client is asked to publish, and what the last check found. Names carry no trailing dot. */
public record DnsRecord(
        RecordPurpose purpose, String type, String name, String value, boolean required, RecordStatus status, String detail) {
    private static final int TXT_STRING_MAX = 255;
    private static final int TTL = 3600;

    /** The record as a line of a zone file (RFC 1035 master format). */
    public String zoneLine() {
        return name + ". " + TTL + " IN " + type + " " + zoneValue();
    }

    /** The value as a zone file writes it: names absolute, TXT quoted in strings of at most 255. */
    public String zoneValue() {
        return switch (type) {
            case "TXT" -> quotedStrings(value);
            case "CNAME", "NS", "MX" -> value + ".";
            default -> value;
        };
    }

    /** A TXT value longer than 255 octets is published as several character-strings, joined by resolvers. */
    public static String quotedStrings(String text) {
        var parts = new ArrayList<String>();
        for (int start = 0; start < text.length(); start += TXT_STRING_MAX) {
            var part = text.substring(start, Math.min(text.length(), start + TXT_STRING_MAX));
            parts.add("\"" + part.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return String.join(" ", parts);
    }
}
