package dev.mailroom.dns;

public enum RecordStatus {
    /** Not checked yet. */
    PENDING,
    VERIFIED,
    MISSING,
    /** Present with a value other than the one asked for. */
    INVALID
}
