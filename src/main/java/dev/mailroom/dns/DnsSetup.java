package dev.mailroom.dns;

/** How a client publishes a sending domain's records. */
public enum DnsSetup {
    /** CNAMEs to Mailroom's zone: keys rotate without the client touching DNS again. */
    CNAME,
    /** The DKIM public key itself as TXT, and an SPF include: for DNS hosts that cannot CNAME. */
    TXT,
    /** One NS record hands the subdomain to Mailroom's authoritative DNS server. */
    DELEGATE
}
