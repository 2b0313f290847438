package dev.mailroom.dns.spf;

import java.util.Optional;

/** The prefix of a directive, deciding the result when its mechanism matches (RFC 7208 section 4.6.2). */
public enum Qualifier {
    PASS('+'), FAIL('-'), SOFTFAIL('~'), NEUTRAL('?');

    private final char symbol;

    Qualifier(char symbol) {
        this.symbol = symbol;
    }

    public char symbol() {
        return symbol;
    }

    static Optional<Qualifier> of(char symbol) {
        for (var qualifier : values()) {
            if (qualifier.symbol == symbol) {
                return Optional.of(qualifier);
            }
        }
        return Optional.empty();
    }
}
