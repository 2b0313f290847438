package dev.mailroom.tenancy;

/** Where a DKIM key is in its life; see {@link DkimRotation}. */
public enum KeyState {
    /** Signs the domain's mail. */
    ACTIVE,
    /** Published in the other selector slot; signing moves to it once resolvers see it. */
    PUBLISHING,
    /** No longer signs; stays published until its retire time, so mail in flight still verifies. */
    RETIRING
}
