package dev.mailroom.tenancy;

/** Something the request depends on (a DNS lookup) could not be had now; the same request may work later. Nothing was changed. */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}
