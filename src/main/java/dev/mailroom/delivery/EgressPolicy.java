package dev.mailroom.delivery;

/** Chooses the egress of each message: the sending domain's pool, else its tenant's (or one relay for everything). */
@FunctionalInterface
public interface EgressPolicy {
    Egress egressFor(String tenantId, String domainId);
}
