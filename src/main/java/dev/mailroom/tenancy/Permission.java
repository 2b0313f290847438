package dev.mailroom.tenancy;

/** What an API key may do. {@code manage} includes {@code read}: one cannot change what one cannot see. */
public enum Permission {
    SEND, READ, MANAGE
}
