package dev.mailroom.tenancy;

/** No such resource in the caller's scope; the same answer whether it does not exist or is another tenant's. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String kind, String id) {
        super(kind + " " + id + " not found");
    }
}
