package dev.mailroom.app;

import java.util.List;

/** The configuration cannot be used; each problem names the key (or file) at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
}
