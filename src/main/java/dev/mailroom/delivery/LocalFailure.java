package dev.mailroom.delivery;

/** A delivery attempt that ended without a reply from the receiving server. */
public enum LocalFailure {
    CONNECTION_REFUSED,
    CONNECTION_RESET,
    TIMEOUT,
    /** Only when the route requires TLS: otherwise the client goes on in clear text and nothing failed. */
    TLS_HANDSHAKE_FAILED
}
