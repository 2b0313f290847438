package dev.mailroom.dns.spf;

/** A mechanism with its qualifier ({@code +} when none is written). */
public record Directive(Qualifier qualifier, Mechanism mechanism) {}
