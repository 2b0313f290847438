package dev.mailroom.tenancy;

/** Advice on a domain that breaks the practices of the field: a stable code, and why and what instead. */
public record DomainWarning(String code, String message) {}
