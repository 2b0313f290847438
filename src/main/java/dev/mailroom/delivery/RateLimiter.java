package dev.mailroom.delivery;

import java.time.Duration;

/**
 * Traffic shaping by key (a site, a source address, a tenant): the generic cell rate algorithm
 * (GCRA), which keeps one timestamp per key and lets a rate's whole count through in a burst,
 * then one event per interval. Two implementations behave alike: in this process, and in Redis
 * so that several Mailroom nodes share one limit.
 */
public interface RateLimiter {
    /** Takes one event under {@code rate} for {@code key}: {@link Duration#ZERO} when taken, else how long until one is free. */
    Duration tryTake(String key, Rate rate);
}
