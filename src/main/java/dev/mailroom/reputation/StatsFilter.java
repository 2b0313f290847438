package dev.mailroom.reputation;

/** Which counts a query adds up: each null part is no restriction. */
public record StatsFilter(String tenantId, String domainId, String poolId, String sourceIp, Provider provider) {
    public static final StatsFilter ALL = new StatsFilter(null, null, null, null, null);

    public static StatsFilter tenant(String tenantId) {
        return new StatsFilter(tenantId, null, null, null, null);
    }

    public static StatsFilter pool(String poolId) {
        return new StatsFilter(null, null, poolId, null, null);
    }
}
