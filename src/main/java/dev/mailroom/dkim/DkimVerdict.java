package dev.mailroom.dkim;

/** The outcome of verifying one DKIM-Signature (RFC 6376 6.1, with RFC 8601's result names). */
public sealed interface DkimVerdict {
    String domain();

    String selector();

    record Pass(String domain, String selector, DkimAlgorithm algorithm) implements DkimVerdict {}

    /** The signature does not match: the message was altered, or the key does not fit. */
    record Fail(String domain, String selector, String reason) implements DkimVerdict {}

    /** The signature cannot be checked: malformed, unknown algorithm, no usable key. */
    record PermError(String domain, String selector, String reason) implements DkimVerdict {}

    /** The key could not be fetched now; trying later may succeed. */
    record TempError(String domain, String selector, String reason) implements DkimVerdict {}
}
