package dev.mailroom.tenancy;

/** Where a tenant is in its life with the platform, from first DNS set-up to departure. */
public enum Lifecycle {
    SETUP, WARMUP, OBSERVATION, ESTABLISHED, OFFBOARDED
}
