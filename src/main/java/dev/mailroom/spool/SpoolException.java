package dev.mailroom.spool;

/** The spool could not store or read what it was asked to; nothing acknowledged depends on it. */
public final class SpoolException extends RuntimeException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
