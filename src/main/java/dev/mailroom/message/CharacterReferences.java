package dev.mailroom.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decoding of character references ({@code &amp;}, {@code &#38;}, {@code &#x26;}) in an HTML
 * attribute value, as WHATWG HTML 13.2.5.72 does it. Only the references that turn up in URLs are
 * known: the markup-significant ones and the Latin-1 names, which HTML also accepts without a
 * semicolon unless "=" or a letter or digit follows (so {@code ?a=1&copy=2} keeps its {@code &copy}).
 * A value that uses any other named reference is not decoded at all, rather than decoded wrongly.
 */
final class CharacterReferences {
    /** The names of U+00A0 to U+00FF, in order; each is also valid without its semicolon. */
    private static final String LATIN_1 = "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr "
            + "deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest "
            + "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml "
            + "ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig "
            + "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml "
            + "eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
    /** Names valid without a semicolon, and what they stand for. */
    private static final Map<String, String> LEGACY = new HashMap<>();
    /** Names valid with a semicolon that this class knows. */
    private static final Map<String, String> NAMED = new HashMap<>();

    static {
        var names = LATIN_1.split(" ");
        for (int i = 0; i < names.length; i++) {
            LEGACY.put(names[i], String.valueOf((char) (0xa0 + i)));
        }
        LEGACY.putAll(Map.of("amp", "&", "AMP", "&", "lt", "<", "LT", "<", "gt", ">", "GT", ">", "quot", "\"", "QUOT", "\"",
                "COPY", "\u00a9", "REG", "\u00ae"));
        NAMED.putAll(LEGACY);
        NAMED.put("apos", "'");
    }

    private CharacterReferences() {}

    /** The value a browser sees for this raw attribute text, or empty when it uses a reference not known here. */
    static Optional<String> decodeAttribute(String raw) {
        var out = new StringBuilder(raw.length());
        int n = raw.length();
        int i = 0;
        while (i < n) {
            char c = raw.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
            } else if (i + 1 < n && raw.charAt(i + 1) == '#') {
                boolean hex = i + 2 < n && (raw.charAt(i + 2) == 'x' || raw.charAt(i + 2) == 'X');
                int start = i + (hex ? 3 : 2);
                int end = start;
                while (end < n && Character.digit(raw.charAt(end), hex ? 16 : 10) >= 0) {
                    end++;
                }
                if (end == start) {
                    out.append('&'); // "&#" without digits stays as it is
                    i++;
                    continue;
                }
                if (end - start > 7) {
                    return Optional.empty();
                }
                int codePoint = Integer.parseInt(raw, start, end, hex ? 16 : 10);
                // controls, surrogates and the C1 range (which browsers remap through Windows-1252) are not guessed at
                if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) || (codePoint >= 0xd800 && codePoint < 0xe000)
                        || codePoint > 0x10ffff) {
                    return Optional.empty();
                }
                out.appendCodePoint(codePoint);
                i = end < n && raw.charAt(end) == ';' ? end + 1 : end;
            } else {
                int end = i + 1;
                while (end < n && Character.isLetterOrDigit(raw.charAt(end)) && raw.charAt(end) < 0x80) {
                    end++;
                }
                var name = raw.substring(i + 1, end);
                if (end < n && raw.charAt(end) == ';' && !name.isEmpty()) {
                    var value = NAMED.get(name);
                    if (value == null) {
                        return Optional.empty();
                    }
                    out.append(value);
                    i = end + 1;
                } else if (LEGACY.containsKey(name) && !(end < n && raw.charAt(end) == '=')) {
                    out.append(LEGACY.get(name));
                    i = end;
                } else {
                    out.append('&'); // "&utm_source=", "&copy=2" and the like are text
                    i++;
                }
            }
        }
        return Optional.of(out.toString());
    }
}
