package dev.mailroom.feedback.dmarc;

import dev.mailroom.dns.Alignment;
import dev.mailroom.dns.DmarcRecord;

/**
 * The DMARC policy the receiver found, as it reports it. Tags it left out take their RFC 7489
 * defaults (relaxed alignment, {@code sp} as {@code p}), except {@code pct} and {@code fo}, which
 * stay null: DMARCbis reports have no {@code pct} at all.
 */
public record PolicyPublished(String domain, Alignment.Mode adkim, Alignment.Mode aspf, DmarcRecord.Policy p, DmarcRecord.Policy sp,
        Integer pct, String fo) {}
