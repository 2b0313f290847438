package dev.mailroom.message;

import dev.mailroom.message.TrackingToken.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Open and click tracking for a message's bodies: each absolute http(s) link becomes
 * {@code <base>/c/<token>}, whose link index points into the returned list of original URLs, and an
 * open pixel {@code <base>/o/<token>} goes before {@code </body>}. Left alone: other schemes,
 * fragments, relative URLs, template placeholders (a stored URL must be the one the recipient got),
 * links to the tracking base itself (the unsubscribe link), and links marked
 * {@code data-mailroom-notrack}.
 */
public final class TrackingRewriter {
    /** A link index has at most five digits; links beyond that many distinct URLs stay untracked. */
    private static final int MAX_LINKS = 100_000;
    private static final String NO_TRACK = "data-mailroom-notrack";
    /** Handlebars/Liquid/Jinja, JavaScript templates, Mailchimp, Salesforce, ERB/JSP and similar merge fields. */
    private static final List<String> PLACEHOLDERS = List.of("{{", "{%", "${", "*|", "%%", "[[", "<%");
    /** A scheme and a host; "https:///x" and "https:\\x" are not links anyone means to track. */
    private static final Pattern ABSOLUTE = Pattern.compile("(?i)https?://[^/\\\\?#].*", Pattern.DOTALL);
    private static final Pattern TEXT_URL = Pattern.compile("(?i)(?<![\\w+.-])https?://[^\\s<>\"]+");
    private final TrackingToken tokens;

    public TrackingRewriter(TrackingToken tokens) {
        this.tokens = tokens;
    }

    /**
     * @param trackingBase e.g. {@code https://t.news.clienta.com}
     * @param recipientIndex empty when the body goes to several recipients
     */
    public record Settings(String trackingBase, String messageId, OptionalInt recipientIndex, boolean opens, boolean clicks) {
        public Settings {
            trackingBase = TrackingToken.base(trackingBase);
            Target.open(messageId, recipientIndex); // refuses what no token could carry, before any body is touched
        }
    }

    /** The bodies as they are to be sent (null where there was none) and the original URLs by link index. */
    public record Rewritten(String html, String text, List<String> links) {
        public Rewritten {
            links = List.copyOf(links);
        }
    }

    /**
     * @param html the HTML body, or null
     * @param text the plain text body, or null; only its links are tracked
     */
    public Rewritten rewrite(String html, String text, Settings settings) {
        var links = new Links(settings);
        var newHtml = html == null ? null : html(html, settings, links);
        var newText = text == null || !settings.clicks() ? text : text(text, links);
        return new Rewritten(newHtml, newText, links.originals);
    }

    private record Edit(int start, int end, String replacement) {}

    private String html(String html, Settings settings, Links links) {
        var edits = new ArrayList<Edit>();
        int bodyEnd = -1;
        for (var tag : HtmlTags.scan(html)) {
            if (tag.endTag()) {
                bodyEnd = tag.name().equals("body") ? tag.start() : bodyEnd;
                continue;
            }
            var href = tag.attribute("href");
            if (!settings.clicks() || !isLink(tag.name()) || href == null || tag.attribute(NO_TRACK) != null) {
                continue;
            }
            var value = CharacterReferences.decodeAttribute(html.substring(href.valueStart(), href.valueEnd()));
            var tracked = value.isPresent() ? links.tracked(browserUrl(value.get())) : null;
            if (tracked != null) {
                edits.add(new Edit(href.valueStart(), href.valueEnd(), href.quote() == 0 ? "\"" + tracked + "\"" : tracked));
            }
        }
        if (settings.opens()) {
            int at = bodyEnd < 0 ? html.length() : bodyEnd;
            var pixel = tokens.url(settings.trackingBase(), Target.open(settings.messageId(), settings.recipientIndex()));
            edits.add(new Edit(at, at, "<img src=\"" + pixel + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">"));
        }
        edits.sort(Comparator.comparingInt(Edit::start));
        var out = new StringBuilder(html.length() + 64 * edits.size());
        int copied = 0;
        for (var edit : edits) {
            out.append(html, copied, edit.start()).append(edit.replacement());
            copied = edit.end();
        }
        return out.append(html, copied, html.length()).toString();
    }

    /** Anchors, image-map areas, and VML shapes (Outlook's "bulletproof" buttons). */
    private static boolean isLink(String element) {
        return element.equals("a") || element.equals("area") || element.startsWith("v:");
    }

    /** The URL a browser follows for an href: outer spaces and controls, and tabs and line breaks within, dropped. */
    private static String browserUrl(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= ' ') {
            end--;
        }
        return value.substring(start, end).replaceAll("[\t\n\r]", "");
    }

    /** Bare URLs in plain text, ending before trailing punctuation and unbalanced closing brackets. */
    private static String text(String text, Links links) {
        var out = new StringBuilder(text.length());
        var matcher = TEXT_URL.matcher(text);
        int copied = 0;
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            while (end > start && trailing(text, start, end)) {
                end--;
            }
            var tracked = links.tracked(text.substring(start, end));
            if (tracked != null) {
                out.append(text, copied, start).append(tracked);
                copied = end;
            }
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean trailing(String text, int start, int end) {
        char last = text.charAt(end - 1);
        if (".,;:!?'*".indexOf(last) >= 0) {
            return true;
        }
        int pair = ")]}".indexOf(last);
        if (pair < 0) {
            return false;
        }
        char open = "([{".charAt(pair);
        int balance = 0;
        for (int i = start; i < end; i++) {
            balance += text.charAt(i) == open ? 1 : text.charAt(i) == last ? -1 : 0;
        }
        return balance < 0;
    }

    /** The message's tracked URLs, one link index per distinct URL, shared by its HTML and text bodies. */
    private final class Links {
        private final Settings settings;
        private final String ownPrefix;
        private final List<String> originals = new ArrayList<>();
        private final Map<String, Integer> indexes = new HashMap<>();

        Links(Settings settings) {
            this.settings = settings;
            this.ownPrefix = settings.trackingBase().toLowerCase(Locale.ROOT) + "/";
        }

        /** The click URL that replaces {@code url}, or null when it stays as it is. */
        String tracked(String url) {
            if (!ABSOLUTE.matcher(url).matches() || url.toLowerCase(Locale.ROOT).startsWith(ownPrefix)
                    || PLACEHOLDERS.stream().anyMatch(url::contains)) {
                return null;
            }
            var index = indexes.get(url);
            if (index == null) {
                if (originals.size() == MAX_LINKS) {
                    return null;
                }
                index = originals.size();
                originals.add(url);
                indexes.put(url, index);
            }
            return tokens.url(settings.trackingBase(), Target.click(settings.messageId(), settings.recipientIndex(), index));
        }
    }
}
