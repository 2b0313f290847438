package dev.mailroom.delivery;

import java.util.Locale;

/**
 * What a pool is for. New tenants start in {@code starter}; tenants with an established good
 * record move up to {@code standard} and {@code premium}, whose addresses they then share only
 * with senders as careful as themselves; {@code isolation} holds tenants whose mail would hurt
 * the others' reputation, so that it hurts only their own.
 */
public enum PoolTier {
    PREMIUM,
    STANDARD,
    STARTER,
    ISOLATION;

    /** The id of this tier's pool that every installation starts with (V5__pools.sql). */
    public String seededPoolId() {
        return "pool_" + name().toLowerCase(Locale.ROOT);
    }
}
