package dev.mailroom.tenancy;

/** A sender identity waits for its confirmation link to be followed, then may be sent from. */
public enum IdentityStatus { PENDING, VERIFIED }
