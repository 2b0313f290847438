package dev.mailroom.feedback.dmarc;

/** What the receiver did with the messages of a record; {@code PASS} is DMARCbis's "passed under an enforcing policy". */
public enum Disposition {
    NONE, PASS, QUARANTINE, REJECT
}
