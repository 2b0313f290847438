package dev.mailroom.dns;

/** A host name that cannot be used; the message completes "the domain name ...". */
public final class InvalidDomainNameException extends IllegalArgumentException {
    public InvalidDomainNameException(String reason) {
        super(reason);
    }
}
