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

    /** Whether a name is the platform zone or inside it, where no client domain may live. */
    public boolean insidePlatformZone(String name) {
        return name.equals(platformDomain) || name.endsWith("." + platformDomain);
    }

    /** What a DKIM selector is for at the moment. */
    public enum KeyRole {
        /** Its key signs. */
        ACTIVE,
        /** A rotation's new key, published before signing moves to it. */
        NEXT,
        /** The key signing used before a rotation, published until it retires. */
        RETIRING,
        /** No key yet: the slot a rotation will use (asked for as a CNAME, so it needs no DNS change then). */
        STANDBY
    }

    /**
     * A DKIM selector to publish: its TXT value (null for a standby slot), whether verification
     * waits for it, and its role.
     */
    public record DkimKey(String selector, String txtValue, boolean required, KeyRole role) {}

    public List<DnsRecord> plan(String domain, String token, DnsSetup setup, boolean dmarcRequired, List<DkimKey> keys) {
        var records = new ArrayList<DnsRecord>();
        switch (setup) {
            case CNAME -> {
                for (var key : keys) {
                    records.add(pending(RecordPurpose.DKIM, "CNAME", dkimName(key, domain),
                            key.selector() + "." + token + ".dkim." + platformDomain, key.required(), switch (key.role()) {
                                case ACTIVE -> "DKIM key " + key.selector() + ", served by Mailroom so it can rotate without a DNS change";
                                case STANDBY -> "DKIM selector " + key.selector() + " for the next key: with it in place, rotations need no DNS change";
                                case NEXT -> "DKIM selector " + key.selector() + " with a rotation's new key; signing moves to it once it is visible";
                                case RETIRING -> "DKIM selector " + key.selector() + " with the previous key, served until it retires";
                            }));
                }
                records.add(pending(RecordPurpose.RETURN_PATH, "CNAME", returnPath(domain), RETURN_PATH_LABEL + "." + platformDomain, true,
                        "bounce address domain; its MX and SPF live in Mailroom's zone"));
            }
            case TXT -> {
                for (var key : keys) {
                    if (key.role() == KeyRole.STANDBY) {
                        continue; // nothing to publish until a rotation puts a key there
                    }
                    records.add(pending(RecordPurpose.DKIM, "TXT", dkimName(key, domain), key.txtValue(), key.required(), switch (key.role()) {
                        case ACTIVE -> "DKIM public key " + key.selector() + "; Mailroom asks for a new one when it rotates keys";
                        case NEXT -> "a rotation's new key: publish it; signing moves to it once it is visible";
                        case RETIRING -> "the previous key: keep it until Mailroom stops asking for it, then remove it";
                        case STANDBY -> throw new IllegalStateException("standby slots are skipped");
                    }));
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

    /** The return-path (envelope sender) domain Mailroom uses for a sending domain: bounces come back there, SPF is checked there. */
    public static String returnPath(String domain) {
        return RETURN_PATH_LABEL + "." + domain;
    }

    private static DnsRecord pending(RecordPurpose purpose, String type, String name, String value, boolean required, String detail) {
        return new DnsRecord(purpose, type, name, value, required, RecordStatus.PENDING, detail);
    }
}
