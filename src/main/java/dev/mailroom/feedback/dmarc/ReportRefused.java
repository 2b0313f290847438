package dev.mailroom.feedback.dmarc;

/** Thrown while reading a report that cannot be stored; {@link DmarcReports} turns it into {@link Ingested.Refused}. */
final class ReportRefused extends Exception {
    private final Refusal reason;

    ReportRefused(Refusal reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Refusal reason() {
        return reason;
    }
}
