package dev.mailroom.feedback.dmarc;

/**
 * The messages of one report from one source address, over all its records: how many, how many
 * passed DMARC and failed it, how many passed DKIM and SPF aligned, and what the receiver did with them.
 */
public record SourceTotals(String sourceIp, long count, long dmarcPass, long dmarcFail, long dkimAlignedPass, long spfAlignedPass,
        Dispositions dispositions) {

    /** Messages by what the receiver did with them. */
    public record Dispositions(long none, long pass, long quarantine, long reject) {}
}
