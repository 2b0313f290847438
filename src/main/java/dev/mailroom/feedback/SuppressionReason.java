package dev.mailroom.feedback;

/** Why an address is suppressed. */
public enum SuppressionReason {
    HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE, MANUAL
}
