package dev.mailroom;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for what another thread or process does, polling rather than sleeping a guessed time. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} until it holds; fails naming {@code what} once {@code timeout} has passed. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
