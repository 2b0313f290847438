package dev.mailroom.submission;

import dev.mailroom.tenancy.Domain;
import dev.mailroom.tenancy.Tenant;

/** The tenant and domain a message is sent for, once policy allowed it. */
record SendingDomain(Tenant tenant, Domain domain) {
    String returnPathHost() {
        return "rp." + domain.name();
    }

    String trackingBase() {
        return "https://t." + domain.name();
    }
}
