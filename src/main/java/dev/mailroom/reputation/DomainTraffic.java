package dev.mailroom.reputation;

/**
 * The traffic figures bulk-sender compliance needs about a sending domain, from the reputation
 * statistics. {@code provider} is one of {@link Compliance#PROVIDERS}: {@code gmail},
 * {@code outlook} (Microsoft: Outlook.com, Hotmail, Live) and {@code yahoo} (Yahoo, AOL), the
 * names of the default {@code delivery.providers} rules.
 */
public interface DomainTraffic {
    /** Messages from the domain to the provider's mailboxes in the last 24 hours. */
    long dailyVolume(String domainId, String provider);

    /** Complaints per delivered message of the domain (0.003 is 0.3%); null when there is too little mail to say. */
    Double complaintRate(String domainId);
}
