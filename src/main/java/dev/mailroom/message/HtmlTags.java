package dev.mailroom.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tags of an HTML document where a browser's tokenizer (WHATWG HTML 13.2.5) finds them:
 * comments, doctypes and the contents of script, style, textarea and the like hold no tags.
 * Where this scanner and a browser could disagree, it sees less, never more, so text that merely
 * looks like a tag is never taken for one. The exception is deliberate: Outlook's conditional
 * comments ({@code <!--[if mso]>...<![endif]-->}) hold markup that Outlook shows, so their
 * content is scanned.
 */
final class HtmlTags {
    /**
     * Elements whose content is text up to their own end tag (script has its own rules). Not
     * noscript: mail clients run no scripts, so its content is markup to them.
     */
    private static final Set<String> RAW_TEXT = Set.of("style", "textarea", "title", "xmp", "iframe", "noembed", "noframes");

    private HtmlTags() {}

    /**
     * One attribute; the value is {@code html.substring(valueStart, valueEnd)}, without quotes.
     * {@code quote} is {@code '"'}, {@code '\''}, or 0 for an unquoted or missing value.
     */
    record Attribute(String name, int valueStart, int valueEnd, char quote) {}

    /** A start or end tag from {@code start} (its {@code <}) to {@code end} (after its {@code >}); names lower-case. */
    record Tag(String name, boolean endTag, int start, int end, List<Attribute> attributes) {
        Attribute attribute(String name) {
            return attributes.stream().filter(attribute -> attribute.name().equals(name)).findFirst().orElse(null);
        }
    }

    static List<Tag> scan(String html) {
        var tags = new ArrayList<Tag>();
        int n = html.length();
        int i = 0;
        while (i < n) {
            int open = html.indexOf('<', i);
            if (open < 0 || open + 1 >= n) {
                break;
            }
            char next = html.charAt(open + 1);
            if (isAlpha(next) || (next == '/' && open + 2 < n && isAlpha(html.charAt(open + 2)))) {
                var tag = tag(html, open);
                if (tag == null) {
                    break; // a tag cut off by the end of the document is no tag
                }
                tags.add(tag);
                i = tag.end();
                if (!tag.endTag() && tag.name().equals("script")) {
                    i = scriptEnd(html, i);
                } else if (!tag.endTag() && RAW_TEXT.contains(tag.name())) {
                    i = endTagAt(html, i, tag.name());
                } else if (!tag.endTag() && tag.name().equals("plaintext")) {
                    break;
                }
            } else if (html.startsWith("<!--", open)) {
                i = commentEnd(html, open);
            } else if (html.startsWith("<![CDATA[", open)) {
                // a bogus comment to HTML, CDATA to SVG and MathML: the longer reading sees less
                int end = html.indexOf("]]>", open);
                i = end < 0 ? n : end + 3;
            } else if (next == '!' || next == '?' || next == '/') {
                int end = html.indexOf('>', open); // doctype, processing instruction, bogus comment, "</>"
                i = end < 0 ? n : end + 1;
            } else {
                i = open + 1; // a lone "<" is text
            }
        }
        return tags;
    }

    /** The tag at {@code open}, or null when the document ends inside it. */
    private static Tag tag(String html, int open) {
        int n = html.length();
        boolean endTag = html.charAt(open + 1) == '/';
        int i = open + (endTag ? 2 : 1);
        int nameStart = i;
        while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '/' && html.charAt(i) != '>') {
            i++;
        }
        var name = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
        var attributes = new ArrayList<Attribute>();
        while (true) {
            while (i < n && (isSpace(html.charAt(i)) || html.charAt(i) == '/')) {
                i++;
            }
            if (i >= n) {
                return null;
            }
            if (html.charAt(i) == '>') {
                return new Tag(name, endTag, open, i + 1, List.copyOf(attributes));
            }
            int attributeStart = i++; // a leading "=" belongs to the name
            while (i < n && !isSpace(html.charAt(i)) && "/>=".indexOf(html.charAt(i)) < 0) {
                i++;
            }
            var attributeName = html.substring(attributeStart, i).toLowerCase(Locale.ROOT);
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            if (i >= n || html.charAt(i) != '=') {
                attributes.add(new Attribute(attributeName, i, i, (char) 0));
                continue;
            }
            i++;
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
                char quote = html.charAt(i);
                int close = html.indexOf(quote, i + 1);
                if (close < 0) {
                    return null;
                }
                attributes.add(new Attribute(attributeName, i + 1, close, quote));
                i = close + 1;
            } else {
                int valueStart = i;
                while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                    i++;
                }
                attributes.add(new Attribute(attributeName, valueStart, i, (char) 0));
            }
        }
    }

    /** After the comment that starts at {@code open}; an Outlook conditional opener ends at its "]>". */
    private static int commentEnd(String html, int open) {
        int body = open + 4;
        if (html.startsWith(">", body)) {
            return body + 1;
        }
        if (html.startsWith("->", body)) {
            return body + 2;
        }
        int close = html.indexOf("-->", body);
        int bang = html.indexOf("--!>", body);
        int end = close < 0 ? bang : bang < 0 ? close : Math.min(close, bang);
        if (html.regionMatches(true, body, "[if", 0, 3)) {
            int opener = html.indexOf("]>", body); // in "<!--[if !mso]><!-->" the "<!-->" after it is an empty comment
            if (opener >= 0 && (end < 0 || opener < end)) {
                return opener + 2;
            }
        }
        if (end < 0) {
            return html.length();
        }
        return end + (end == close ? 3 : 4);
    }

    /**
     * After a script's content: at its end tag, which does not count inside a {@code <!--} that
     * holds a {@code <script>} until that one is closed (13.2.5.15 to 13.2.5.31).
     */
    private static int scriptEnd(String html, int from) {
        int n = html.length();
        boolean escaped = false;
        boolean doubleEscaped = false;
        for (int i = from; i < n; i++) {
            char c = html.charAt(i);
            if (!escaped && html.startsWith("<!--", i)) {
                escaped = true;
                i += 3;
            } else if (escaped && c == '>' && html.startsWith("--", i - 2)) {
                escaped = false;
                doubleEscaped = false;
            } else if (c == '<' && isEndTagOf(html, i, "script")) {
                if (!doubleEscaped) {
                    return i;
                }
                doubleEscaped = false;
            } else if (escaped && c == '<' && nameFollowedByEnd(html, i + 1, "script")) {
                doubleEscaped = true;
            }
        }
        return n;
    }

    /** Where the end tag of {@code name} starts from {@code from} on, or the end of the document. */
    private static int endTagAt(String html, int from, String name) {
        for (int i = html.indexOf("</", from); i >= 0; i = html.indexOf("</", i + 1)) {
            if (isEndTagOf(html, i, name)) {
                return i;
            }
        }
        return html.length();
    }

    private static boolean isEndTagOf(String html, int i, String name) {
        return html.startsWith("</", i) && nameFollowedByEnd(html, i + 2, name);
    }

    private static boolean nameFollowedByEnd(String html, int i, String name) {
        int after = i + name.length();
        return html.regionMatches(true, i, name, 0, name.length())
                && after < html.length()
                && (isSpace(html.charAt(after)) || html.charAt(after) == '/' || html.charAt(after) == '>');
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
