package dev.mailroom.tenancy;

public enum DomainStatus {
    PENDING, VERIFIED, FAILING
}
