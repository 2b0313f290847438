package dev.mailroom.tenancy;

/** One thing wrong with a request, named by its JSON field (dotted path for nested fields). */
public record FieldError(String field, String message) {}
