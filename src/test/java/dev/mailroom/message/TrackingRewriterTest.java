package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.message.TrackingRewriter.Settings;
import dev.mailroom.message.TrackingToken.Kind;
import dev.mailroom.message.TrackingToken.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrackingRewriterTest {
    private static final String BASE = "https://t.news.clienta.com";
    private static final String ID = "msg_01jq3m8k5x9v7yb2c4d6f8h0jk";
    private static final OptionalInt RECIPIENT = OptionalInt.of(4);
    private static final Settings BOTH = new Settings(BASE, ID, RECIPIENT, true, true);
    private static final Settings CLICKS = new Settings(BASE, ID, RECIPIENT, false, true);

    private final TrackingToken tokens = new TrackingToken(TrackingTokenTest.secret());
    private final TrackingRewriter rewriter = new TrackingRewriter(tokens);

    private String click(int link) {
        return tokens.url(BASE, Target.click(ID, RECIPIENT, link));
    }

    private String pixel() {
        return "<img src=\"" + tokens.url(BASE, Target.open(ID, RECIPIENT)) + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
    }

    private TrackingRewriter.Rewritten clicks(String html) {
        return rewriter.rewrite(html, null, CLICKS);
    }

    @Test
    void quotedUnquotedAndUpperCaseHrefsAreRewritten() {
        var html = "<p><a href=\"https://a.example/1\">1</a> <a href='http://b.example/2'>2</a> <a href=https://c.example/3>3</a>"
                + " <A HREF = \"HTTPS://D.example/4\" class=x>4</A> <a\nclass=\"btn\"\thRef=\"https://e.example/5\"/>"
                + " <map><area shape=rect coords=\"0,0,1,1\" href=\"https://f.example/6\"></map></p>";
        var result = clicks(html);
        assertThat(result.html()).isEqualTo("<p><a href=\"" + click(0) + "\">1</a> <a href='" + click(1) + "'>2</a> <a href=\"" + click(2)
                + "\">3</a> <A HREF = \"" + click(3) + "\" class=x>4</A> <a\nclass=\"btn\"\thRef=\"" + click(4) + "\"/>"
                + " <map><area shape=rect coords=\"0,0,1,1\" href=\"" + click(5) + "\"></map></p>");
        assertThat(result.links()).containsExactly("https://a.example/1", "http://b.example/2", "https://c.example/3", "HTTPS://D.example/4",
                "https://e.example/5", "https://f.example/6");
    }

    @Test
    void characterReferencesAreDecodedIntoTheStoredUrl() {
        var html = "<a href=\"https://x.example/?a=1&amp;b=2\">a</a><a href=\"https://x.example/?a=1&#38;b=3&#x26;c=4\">b</a>"
                + "<a href=\"https://x.example/?a=1&utm_source=news&copy=2&lang=de\">c</a><a href=\" https://x.example/caf&eacute;\n\">d</a>"
                + "<a href=\"https://x.example/&quot;q&quot;&gt\">e</a><a href=\"https://x.example/&hellip;\">f</a>"
                + "<a href=\"https://x.example/&#0;\">g</a><a href=\"https://x.example/?a=1&amp;b=2\">a again</a>";
        var result = clicks(html);
        assertThat(result.links()).containsExactly("https://x.example/?a=1&b=2", "https://x.example/?a=1&b=3&c=4",
                "https://x.example/?a=1&utm_source=news&copy=2&lang=de", "https://x.example/café", "https://x.example/\"q\">");
        assertThat(result.html()).as("a reference not known here leaves its link as it is")
                .contains("<a href=\"https://x.example/&hellip;\">f</a>", "<a href=\"https://x.example/&#0;\">g</a>")
                .contains("<a href=\"" + click(0) + "\">a again</a>")
                .doesNotContain("&amp;", "&#38;", "&utm", "&eacute;", "&quot;");
    }

    @Test
    void linksThatAreNotOursToTrackStayAsTheyAre() {
        var html = "<a href=\"mailto:help@clienta.com?subject=Hi&amp;body=x\">m</a><a href=\"tel:+4930123\">t</a>"
                + "<a href=\"#top\">top</a><a href=\"/account\">rel</a><a href=\"//cdn.example/x\">proto</a><a href=\"\">empty</a><a href>none</a>"
                + "<a name=\"here\">anchor</a><a href=\"{{unsubscribe_url}}\">u1</a><a href=\"https://x.example/?u={{ id }}\">u2</a>"
                + "<a href=\"*|UNSUB|*\">u3</a><a href=\"https://x.example/%%email%%\">u4</a>"
                + "<a href=\"https://t.news.clienta.com/u/" + ID + "-4-abc\">unsubscribe</a>"
                + "<a data-mailroom-notrack href=\"https://secret.example/reset?t=1\">reset</a>"
                + "<a href=\"https://x.example/keep\" DATA-MAILROOM-NOTRACK=\"\">keep</a>"
                + "<a href=\"javascript:alert(1)\">js</a><a href=\"https:///nohost\">x</a><link href=\"https://fonts.example/css\" rel=stylesheet>"
                + "<img src=\"https://img.example/logo.png\"><base href=\"https://x.example/\">";
        var result = clicks(html);
        assertThat(result.html()).isEqualTo(html);
        assertThat(result.links()).isEmpty();
    }

    @Test
    void onlyTagsCountNotTextThatLooksLikeThem() {
        var html = "<!DOCTYPE html><html><head><title><a href=\"https://title.example\"></title>"
                + "<style>/* <a href=\"https://style.example\"> */ a { color: red }</style>"
                + "<script>var s = '<a href=\"https://script.example\">';</script>"
                + "<script><!-- document.write('<script>x()</script><a href=\"https://escaped.example\">') --></script></head>"
                + "<body><!-- <a href=\"https://comment.example\">old</a> --><!----><!--->"
                + "<p>Visit https://text.example or &lt;a href=\"https://escaped-text.example\"&gt;</p>"
                + "<textarea><a href=\"https://textarea.example\"></textarea><![CDATA[ > <a href=\"https://cdata.example\"> ]]>"
                + "<p title=\"<a href='https://attr.example'>\">p</p><a href=\"https://real.example\">real</a></body></html>";
        var result = clicks(html);
        assertThat(result.links()).containsExactly("https://real.example");
        assertThat(result.html()).isEqualTo(html.replace("\"https://real.example\"", "\"" + click(0) + "\""));
    }

    @Test
    void outlookConditionalCommentsAreMarkupForOutlook() {
        var html = "<!--[if mso]><v:roundrect xmlns:v=\"urn:schemas-microsoft-com:vml\" href=\"https://shop.example/buy\" arcsize=\"10%\">"
                + "<center>Buy</center></v:roundrect><![endif]--><!--[if !mso]><!--><a href=\"https://shop.example/buy\">Buy</a><!--<![endif]-->"
                + "<!-- [if mso]><a href=\"https://not.example\"><![endif] -->";
        var result = clicks(html);
        assertThat(result.links()).containsExactly("https://shop.example/buy");
        assertThat(result.html()).isEqualTo(html.replace("\"https://shop.example/buy\"", "\"" + click(0) + "\""));
    }

    @Test
    void theOpenPixelGoesBeforeTheClosingBodyTag() {
        var html = "<html><body><p>Hi</p><!-- </body> --></BODY></html>";
        assertThat(rewriter.rewrite(html, null, BOTH).html()).isEqualTo("<html><body><p>Hi</p><!-- </body> -->" + pixel() + "</BODY></html>");
        assertThat(rewriter.rewrite("<p>Hi <a href=\"https://x.example\">x</a></p>", null, BOTH).html())
                .as("no body tag").isEqualTo("<p>Hi <a href=\"" + click(0) + "\">x</a></p>" + pixel());
        assertThat(rewriter.rewrite("<p>a < b", null, BOTH).html()).isEqualTo("<p>a < b" + pixel());
    }

    @Test
    void opensAndClicksAreTrackedIndependently() {
        var html = "<body><a href=\"https://x.example\">x</a></body>";
        var opensOnly = rewriter.rewrite(html, "see https://x.example", new Settings(BASE, ID, RECIPIENT, true, false));
        assertThat(opensOnly.html()).isEqualTo("<body><a href=\"https://x.example\">x</a>" + pixel() + "</body>");
        assertThat(opensOnly.text()).isEqualTo("see https://x.example");
        assertThat(opensOnly.links()).isEmpty();
        var clicksOnly = rewriter.rewrite(html, null, CLICKS);
        assertThat(clicksOnly.html()).isEqualTo("<body><a href=\"" + click(0) + "\">x</a></body>");
        var neither = rewriter.rewrite(html, "see https://x.example", new Settings(BASE, ID, RECIPIENT, false, false));
        assertThat(neither).isEqualTo(new TrackingRewriter.Rewritten(html, "see https://x.example", List.of()));
    }

    @Test
    void aBodyForSeveralRecipientsNamesNone() {
        var result = rewriter.rewrite("<a href=\"https://x.example\">x</a>", null, new Settings(BASE, ID, OptionalInt.empty(), true, true));
        var token = result.html().substring(result.html().indexOf("/c/") + 3, result.html().indexOf("\">"));
        assertThat(tokens.decode(Kind.CLICK, token)).contains(Target.click(ID, OptionalInt.empty(), 0));
        assertThat(result.html()).contains("/o/" + ID + "-w-");
    }

    @Test
    void textBodiesShareTheLinkList() {
        var html = "<a href=\"https://shop.example/sale?a=1&amp;b=2\">sale</a>";
        var text = "Sale: https://shop.example/sale?a=1&b=2.\r\nDocs (https://docs.example/a_(b)) and <https://docs.example/c>,\r\n"
                + "mail help@clienta.com, xhttps://no.example, see http://wiki.example/Foo_(bar)! {{link}} https://x.example/{{id}}\r\n"
                + "unsubscribe: https://t.news.clienta.com/u/" + ID + "-4-abc";
        var result = rewriter.rewrite(html, text, BOTH);
        assertThat(result.links()).containsExactly("https://shop.example/sale?a=1&b=2", "https://docs.example/a_(b)",
                "https://docs.example/c", "http://wiki.example/Foo_(bar)");
        assertThat(result.text()).isEqualTo("Sale: " + click(0) + ".\r\nDocs (" + click(1) + ") and <" + click(2) + ">,\r\n"
                + "mail help@clienta.com, xhttps://no.example, see " + click(3) + "! {{link}} https://x.example/{{id}}\r\n"
                + "unsubscribe: https://t.news.clienta.com/u/" + ID + "-4-abc");
    }

    @Test
    void unRewritingThroughTheListGivesBackEveryLink() {
        var html = """
                <!doctype html><html><body style="margin:0">
                <table><tr><td><a href="https://clienta.com/?utm_source=news&amp;utm_medium=email">Home</a></td>
                <td><a href='https://clienta.com/shop#winter' target=_blank>Shop</a></td>
                <td><a href=https://clienta.com/about>About</a> <a href="#top">Top</a> <a href="mailto:hi@clienta.com">Mail</a></td>
                <td><a href="https://clienta.com/?utm_source=news&utm_medium=email">Home again</a></td></tr></table>
                <a href="https://t.news.clienta.com/u/msg_x-4-abc" style="color:#999">Unsubscribe</a>
                </body></html>""";
        var result = rewriter.rewrite(html, null, BOTH);
        assertThat(result.links()).hasSize(3);
        assertThat(hrefs(result.html()).stream().map(href -> unrewritten(href, result.links())).toList()).isEqualTo(hrefs(html));
        assertThat(HtmlTags.scan(result.html())).hasSize(HtmlTags.scan(html).size() + 1);
    }

    @Test
    void damagedMarkupIsLeftAlone() {
        var cutOff = "<p>x</p><a href=\"https://x.example/";
        assertThat(clicks(cutOff).html()).isEqualTo(cutOff);
        var duplicate = "<a href=\"https://first.example\" href=\"https://second.example\">x</a>";
        assertThat(clicks(duplicate).links()).as("browsers follow the first").containsExactly("https://first.example");
        var inScript = "<script>if (a<b) {}</script><a href=\"https://x.example\">x</a><script>unclosed <a href=\"https://y.example\">";
        assertThat(clicks(inScript).links()).containsExactly("https://x.example");
    }

    @Test
    void linksBeyondWhatAnIndexCanNameStayUntracked() {
        var html = new StringBuilder();
        for (int i = 0; i <= 100_000; i++) {
            html.append("<a href=\"https://x.example/").append(i).append("\">").append(i).append("</a>\n");
        }
        var result = clicks(html.toString());
        assertThat(result.links()).hasSize(100_000).last().isEqualTo("https://x.example/99999");
        assertThat(result.html()).contains(click(99_999)).endsWith("<a href=\"https://x.example/100000\">100000</a>\n");
    }

    @Test
    void settingsAreCheckedBeforeAnyBodyIsTouched() {
        assertThatThrownBy(() -> new Settings("t.news.clienta.com", ID, RECIPIENT, true, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(BASE, "MSG", RECIPIENT, true, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(BASE, ID, OptionalInt.of(100_000), true, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Settings(BASE + "/", ID, RECIPIENT, true, true).trackingBase()).isEqualTo(BASE);
    }

    private static List<String> hrefs(String html) {
        var hrefs = new ArrayList<String>();
        for (var tag : HtmlTags.scan(html)) {
            var href = tag.attribute("href");
            if (!tag.endTag() && href != null) {
                hrefs.add(CharacterReferences.decodeAttribute(html.substring(href.valueStart(), href.valueEnd())).orElseThrow());
            }
        }
        return hrefs;
    }

    private String unrewritten(String href, List<String> links) {
        if (!href.startsWith(BASE + "/c/")) {
            return href;
        }
        var target = tokens.decode(Kind.CLICK, href.substring((BASE + "/c/").length())).orElseThrow();
        assertThat(target.messageId()).isEqualTo(ID);
        assertThat(target.recipientIndex()).isEqualTo(RECIPIENT);
        return links.get(target.linkIndex().getAsInt());
    }
}
