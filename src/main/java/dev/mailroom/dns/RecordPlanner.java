package dev.mailroom.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * The records a sending domain needs for its setup, pointing at the zone Mailroom controls
 * ({@code platform_domain}). The domain's token names it inside that zone without revealing it.
 */
public final class RecordPlanner {
    static final String RETURN_PATH_LABEL = "rp";
    static final String TRACKING_LABEL = "t";
    private final String platformDomain;

    public RecordPlanner(String platformDomain) {
        this.platformDomain = platformDomain;
    }

    /** A DKIM key to publish: its selector, its TXT value and whether verification waits for it. */
    public record DkimKey(String selector, String txtValue, boolean required) {}

    public List<DnsRecord> plan(String domain, String token, DnsSetup setup, boolean dmarcRequired, List<DkimKey> keys) {
        var records = new ArrayList<DnsRecord>();
        switch (setup) {
            case CNAME -> {
                for (var key : keys) {
                    records.add(pending(RecordPurpose.DKIM, "CNAME", dkimName(key, domain),
                            key.selector() + "." + token + ".dkim." + platformDomain, key.required(),
                            "DKIM key " + key.selector() + ", served by Mailroom so it can rotate without a DNS change"));
                }
                records.add(pending(RecordPurpose.RETURN_PATH, "CNAME", returnPath(domain), RETURN_PATH_LABEL + "." + platformDomain, true,
                        "bounce address domain; its MX and SPF live in Mailroom's zone"));
            }
            case TXT -> {
                for (var key : keys) {
                    records.add(pending(RecordPurpose.DKIM, "TXT", dkimName(key, domain), key.txtValue(), key.required(),
                            "DKIM public key " + key.selector() + "; publish a new one when Mailroom rotates keys"));
                }
                records.add(pending(RecordPurpose.RETURN_PATH, "MX", returnPath(domain), "10 mx." + platformDomain, true,
                        "bounce address domain: bounces come back to Mailroom's inbound MX"));
                records.add(pending(RecordPurpose.SPF, "TXT", returnPath(domain),
                        "v=spf1 include:" + RETURN_PATH_LABEL + "." + platformDomain + " -all", true,
                        "authorises Mailroom's sending addresses for the bounce address domain"));
            }
            case DELEGATE -> {
                records.add(pending(RecordPurpose.NS, "NS", domain, "ns." + platformDomain, true,
                        "delegates the subdomain; Mailroom's DNS then serves DKIM, return path, SPF and DMARC"));
                return List.copyOf(records);
            }
        }
        records.add(pending(RecordPurpose.TRACKING, "CNAME", TRACKING_LABEL + "." + domain, "track." + platformDomain, false,
                "branded host for open and click tracking; needed only when tracking is on"));
        records.add(pending(RecordPurpose.DMARC, "TXT", "_dmarc." + domain,
                "v=DMARC1; p=none; rua=mailto:dmarc+" + token + "@" + platformDomain, dmarcRequired,
                dmarcRequired
                        ? "bulk senders must publish DMARC (Gmail and Yahoo rules since 2024); reports come back to Mailroom"
                        : "recommended: aggregate reports come back to Mailroom"));
        return List.copyOf(records);
    }

    private static String dkimName(DkimKey key, String domain) {
        return key.selector() + "._domainkey." + domain;
    }

    private static String returnPath(String domain) {
        return RETURN_PATH_LABEL + "." + domain;
    }

    private static DnsRecord pending(RecordPurpose purpose, String type, String name, String value, boolean required, String detail) {
        return new DnsRecord(purpose, type, name, value, required, RecordStatus.PENDING, detail);
    }
}
