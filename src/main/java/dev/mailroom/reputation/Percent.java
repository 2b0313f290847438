package dev.mailroom.reputation;

import java.util.Locale;

/** Rates in words: 0.0031 is "0.31%". */
public final class Percent {
    private Percent() {}

    public static String of(double rate) {
        double percent = rate * 100;
        return String.format(Locale.ROOT, percent < 1 ? "%.2f%%" : "%.1f%%", percent);
    }
}
