package dev.mailroom.submission;

import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.Tenant;

/** The tenant and domain a message is sent for, once policy allowed it. */
record SendingDomain(Tenant tenant, Domain domain) {
    String returnPathHost() {
        return "rp." + domain.name();
    }

    String trackingBase() {
        return trackingBase(domain);
    }

    /** The domain's branded tracking host (a CNAME to track.<platform_domain>), where Mailroom's links in its mail point. */
    static String trackingBase(Domain domain) {
        return "https://t." + domain.name();
    }
}
