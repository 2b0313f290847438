package dev.mailroom.feedback.dmarc;

/**
 * Why a report was not stored. Each is final: sending the same bytes again gets the same answer.
 * (A store that fails throws instead, so that the sender is asked to try again later.)
 */
public enum Refusal {
    /** The token of the address {@code dmarc+<token>} names no domain. */
    UNKNOWN_RECIPIENT,
    /** The attachment is larger than Mailroom reads. */
    TOO_LARGE,
    /** Neither XML, gzip nor zip, whatever its content type says. */
    UNSUPPORTED_FORMAT,
    /** Compressed data that expands past the size or ratio limits (a decompression bomb, or just too big). */
    DECOMPRESSION_LIMIT,
    /** A zip that is not one plain {@code .xml} file (several entries, a path, an archive inside), or damaged gzip or zip data. */
    BAD_ARCHIVE,
    /** The XML has a document type declaration: DTDs and entities (XXE, billion laughs) are never read. */
    DOCTYPE,
    /** The XML is not well-formed. */
    MALFORMED_XML,
    /** Well-formed XML, but not an aggregate report: wrong root, a required field missing or unreadable. */
    INVALID_REPORT,
    /** The report is about a domain the address's token does not stand for. */
    DOMAIN_MISMATCH
}
