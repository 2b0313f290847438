package dev.mailroom.tracking;

/**
 * A request to a tracking URL as it arrived: the Host it named, and the user agent and address
 * that made it (null when absent). Behind a proxy, {@code ip} is the proxy's.
 */
public record Visit(String host, String userAgent, String ip) {}
