package dev.mailroom.dns.spf;

/**
 * The outcome of an SPF check (RFC 7208 section 2.6). Only a fail carries an explanation: it
 * is the text a receiver may put in its rejection, so it never needs to be asked of the others.
 */
public sealed interface SpfResult {
    /** No SPF record was found, or the domain could not be checked at all (not a usable name). */
    record None() implements SpfResult {}

    /** The domain owner makes no assertion about the address. */
    record Neutral() implements SpfResult {}

    record Pass() implements SpfResult {}

    /** The address is not authorised; the explanation comes from the exp= modifier or the receiver's default. */
    record Fail(String explanation) implements SpfResult {}

    /** Probably not authorised: the owner asks for the mail to be accepted but marked. */
    record SoftFail() implements SpfResult {}

    /** A transient DNS error; the same check may succeed later. */
    record TempError(String reason) implements SpfResult {}

    /** The published records cannot be interpreted (syntax or processing limits). */
    record PermError(String reason) implements SpfResult {}

    /** The result's name as written in Received-SPF and Authentication-Results headers. */
    default String code() {
        return switch (this) {
            case None ignored -> "none";
            case Neutral ignored -> "neutral";
            case Pass ignored -> "pass";
            case Fail ignored -> "fail";
            case SoftFail ignored -> "softfail";
            case TempError ignored -> "temperror";
            case PermError ignored -> "permerror";
        };
    }
}
