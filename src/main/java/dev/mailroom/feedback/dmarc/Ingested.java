package dev.mailroom.feedback.dmarc;

/** What became of an attachment handed to {@link DmarcReports#ingest}. */
public sealed interface Ingested {
    /** Stored now, as report {@code id}. */
    record Stored(String id) implements Ingested {}

    /** The same report (reporter and report id) was stored before, as {@code id}; nothing changed. */
    record Duplicate(String id) implements Ingested {}

    /** Not stored, and nothing else was: {@code detail} says why in words. */
    record Refused(Refusal reason, String detail) implements Ingested {}
}
