package dev.mailroom.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;

/** Header text outside ASCII (RFC 2047 encoded words) and folding of long header lines (RFC 5322 2.2.3). */
final class HeaderText {
    /** An encoded word may be 75 characters: {@code =?UTF-8?B?} and {@code ?=} leave 63 for base64, 45 bytes. */
    private static final int BYTES_PER_WORD = 45;

    private HeaderText() {}

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Plain ASCII that a mail client will show as written: no "=?", which it would decode as an encoded word. */
    static boolean isPlain(String text) {
        return isAscii(text) && !text.contains("=?");
    }

    /** UTF-8 text as base64 encoded words, split between characters (never inside one). */
    static String encodedWords(String text) {
        return encodedWords(text, BYTES_PER_WORD);
    }

    /** As {@link #encodedWords(String)}, the first word carrying at most {@code firstBytes} bytes. */
    private static String encodedWords(String text, int firstBytes) {
        var words = new ArrayList<String>();
        var chunk = new StringBuilder();
        int bytes = 0;
        int limit = Math.max(3, firstBytes);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            var character = new String(Character.toChars(codePoint));
            int size = character.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > limit && !chunk.isEmpty()) {
                limit = BYTES_PER_WORD;
                words.add(word(chunk.toString()));
                chunk.setLength(0);
                bytes = 0;
            }
            chunk.append(character);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        if (!chunk.isEmpty()) {
            words.add(word(chunk.toString()));
        }
        return String.join(" ", words);
    }

    /**
     * A header with an unstructured value (e.g. Subject): as is when ASCII, else encoded words,
     * the first one sized to fit the header's first line.
     */
    static String unstructuredField(String name, String text) {
        if (isPlain(text)) {
            return field(name, text);
        }
        int room = 78 - name.length() - 2 - "=?UTF-8?B??=".length();
        return field(name, encodedWords(text, room / 4 * 3));
    }

    /** {@code Name: value} folded before white space so that no line passes 78 characters where it can be helped. */
    static String field(String name, String value) {
        var line = new StringBuilder(name).append(": ");
        var words = value.split(" ", -1);
        int lineLength = line.length();
        for (int i = 0; i < words.length; i++) {
            var word = words[i];
            if (i > 0) {
                if (lineLength + 1 + word.length() > 78) {
                    line.append("\r\n ");
                    lineLength = 1;
                } else {
                    line.append(' ');
                    lineLength++;
                }
            }
            line.append(word);
            lineLength += word.length();
        }
        return line.append("\r\n").toString();
    }

    private static String word(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
