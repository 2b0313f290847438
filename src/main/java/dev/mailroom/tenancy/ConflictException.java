package dev.mailroom.tenancy;

/** The request is well-formed but clashes with what exists (a name taken, a state that forbids it). */
public final class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field at fault, or null when the clash is with the resource's state. */
    public String field() {
        return field;
    }
}
