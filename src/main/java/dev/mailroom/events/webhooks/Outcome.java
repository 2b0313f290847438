package dev.mailroom.events.webhooks;

import java.time.Duration;

/** What one attempt came to: the endpoint answered with a status (2xx: delivered), or it could not be reached at all. */
sealed interface Outcome {
    Duration took();

    default boolean delivered() {
        return this instanceof Answered answered && answered.status() >= 200 && answered.status() < 300;
    }

    record Answered(int status, Duration took) implements Outcome {}

    /** Not sent, or no answer: refused destination, connection error, timeout. */
    record Unreached(String error, Duration took) implements Outcome {}
}
