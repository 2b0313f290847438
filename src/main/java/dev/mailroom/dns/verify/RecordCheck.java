package dev.mailroom.dns.verify;

import dev.mailroom.dns.RecordStatus;

/** What checking one record in DNS found. */
public sealed interface RecordCheck {
    /** DNS answered: the record is verified, missing or invalid, and why. */
    record Known(RecordStatus status, String detail) implements RecordCheck {}

    /** DNS did not answer; nothing is known, and the record keeps the status it had. */
    record Unknown(String reason) implements RecordCheck {}
}
