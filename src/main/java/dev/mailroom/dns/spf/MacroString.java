package dev.mailroom.dns.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A macro-string (RFC 7208 section 7.1) split into its parts, so that a record is checked for
 * syntax once, when it is parsed, and expanded for each check by {@link MacroExpander}.
 */
public record MacroString(List<Part> parts) {
    /** Keep every part of a value: the transformer had no digits. */
    public static final int ALL_PARTS = Integer.MAX_VALUE;

    private static final String LETTERS = "slodiphv";
    /** Meaningful only once a result is known, so RFC 7208 section 7.3 allows them in exp text alone. */
    private static final String EXPLANATION_ONLY_LETTERS = "crt";
    private static final Pattern MACRO_BODY = Pattern.compile("([a-zA-Z])([0-9]*)([rR]?)([-.+,/_=]*)");

    public MacroString {
        parts = List.copyOf(parts);
    }

    public sealed interface Part {}

    /** Characters copied as they are. */
    public record Literal(String text) implements Part {}

    /** {@code %%}, {@code %_} or {@code %-}: a percent sign, a space, a URL-encoded space. */
    public record Escape(String expansion) implements Part {}

    /**
     * {@code %{...}}: a value of the check, split on the delimiters, perhaps reversed, cut to its
     * rightmost parts and joined with dots.
     *
     * @param letter     the macro letter, in lower case
     * @param urlEscape  the letter was written in upper case: the expansion is URL-escaped
     * @param rightmost  how many parts to keep, counted from the right; {@link #ALL_PARTS} for all
     * @param delimiters the characters that separate parts, {@code "."} when none were written
     */
    public record Macro(char letter, boolean urlEscape, int rightmost, boolean reverse, String delimiters) implements Part {}

    /** A macro-string outside exp text: in a domain-spec or a modifier's value. */
    public static MacroString parse(String text) {
        return parse(text, false);
    }

    /** The text of the TXT record that exp= names: spaces and the letters c, r and t are allowed too. */
    public static MacroString parseExplanation(String text) {
        return parse(text, true);
    }

    /** The grammar's domain-end needs to know whether the string finishes with a macro-expand. */
    boolean endsWithExpansion() {
        return !parts.isEmpty() && !(parts.getLast() instanceof Literal);
    }

    private static MacroString parse(String text, boolean explanation) {
        var parts = new ArrayList<Part>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if (!(c >= 0x21 && c <= 0x7e) && !(explanation && c == ' ')) {
                    throw new InvalidSpfRecordException(String.format("character U+%04X is not allowed in '%s'", (int) c, text));
                }
                literal.append(c);
                i++;
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (next) {
                case '%' -> parts.add(new Escape("%"));
                case '_' -> parts.add(new Escape(" "));
                case '-' -> parts.add(new Escape("%20"));
                case '{' -> {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw new InvalidSpfRecordException("unclosed macro in '" + text + "'");
                    }
                    parts.add(macro(text.substring(i + 2, close), explanation));
                    i = close + 1;
                    continue;
                }
                default -> throw new InvalidSpfRecordException("'%' must be followed by '{', '%', '_' or '-' in '" + text + "'");
            }
            i += 2;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new MacroString(parts);
    }

    private static Macro macro(String body, boolean explanation) {
        var matcher = MACRO_BODY.matcher(body);
        if (!matcher.matches()) {
            throw new InvalidSpfRecordException("malformed macro '%{" + body + "}'");
        }
        char written = matcher.group(1).charAt(0);
        char letter = Character.toLowerCase(written);
        if (EXPLANATION_ONLY_LETTERS.indexOf(letter) >= 0 && !explanation) {
            throw new InvalidSpfRecordException("macro letter '" + written + "' is allowed only in exp text");
        }
        if (LETTERS.indexOf(letter) < 0 && EXPLANATION_ONLY_LETTERS.indexOf(letter) < 0) {
            throw new InvalidSpfRecordException("unknown macro letter '" + written + "'");
        }
        var delimiters = matcher.group(4);
        return new Macro(letter, Character.isUpperCase(written), rightmost(matcher.group(2)),
                !matcher.group(3).isEmpty(), delimiters.isEmpty() ? "." : delimiters);
    }

    private static int rightmost(String digits) {
        if (digits.isEmpty()) {
            return ALL_PARTS;
        }
        var significant = digits.replaceFirst("^0+", "");
        if (significant.isEmpty()) {
            throw new InvalidSpfRecordException("a macro cannot keep zero parts");
        }
        // No name has more than 127 labels, so a longer number keeps everything.
        return significant.length() > 3 ? ALL_PARTS : Integer.parseInt(significant);
    }
}
