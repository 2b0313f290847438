package dev.mailroom.feedback;

/** Mail the inbound MX took in but will not keep (a report about a domain that is not the address's): answered 550 5.7.1, nothing stored. */
public final class InboundRefusal extends RuntimeException {
    public InboundRefusal(String message) {
        super(message);
    }
}
