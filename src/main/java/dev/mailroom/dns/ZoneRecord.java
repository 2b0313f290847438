package dev.mailroom.dns;

/** One record of a zone Mailroom serves: owner name (no trailing dot), type and value in zone-file syntax. */
public record ZoneRecord(String name, String type, String value) {}
