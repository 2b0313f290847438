package dev.mailroom.dns.spf;

/** An SPF record or macro string that breaks the RFC 7208 grammar; evaluation turns it into permerror. */
public final class InvalidSpfRecordException extends IllegalArgumentException {
    public InvalidSpfRecordException(String reason) {
        super(reason);
    }
}
