package dev.mailroom.tenancy;

import java.time.Instant;

/** A state of a tenant's life cycle and when it entered it, with why (null: nothing to say). */
public record LifecycleStep(Lifecycle state, Instant enteredAt, String note) {}
