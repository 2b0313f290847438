package dev.mailroom.dns;

/** An MX record: preference and exchange host (no trailing dot). */
public record MxHost(int preference, String host) {}
