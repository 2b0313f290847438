package dev.mailroom.api;

import dev.mailroom.tenancy.Identity;
import dev.mailroom.tenancy.IdentityStatus;
import dev.mailroom.tracking.Unsubscribe;

/**
 * The pages people see on tracking hosts: unsubscribe confirmation and result, sender identity
 * confirmation and result, and a link that is not valid. Plain server-rendered HTML with no scripts, so they work in any browser and a link
 * scanner that fetches them can do nothing with them.
 */
final class TrackingPages {
    /** The page's own form posts to where it came from, with the RFC 8058 one-click body. */
    static String confirm(Unsubscribe.Recipient recipient) {
        return page("Unsubscribe", "<p>Stop mail from <strong>" + escape(recipient.domain()) + "</strong> to <strong>"
                + escape(recipient.email()) + "</strong>?</p>\n<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                + "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    static String unsubscribed(Unsubscribe.Recipient recipient) {
        return page("Unsubscribed", "<p><strong>" + escape(recipient.email()) + "</strong> will get no more of this mail from <strong>"
                + escape(recipient.domain()) + "</strong>.</p>");
    }

    static String shared(Unsubscribe.Shared shared) {
        return page("Unsubscribe", "<p>This message from <strong>" + escape(shared.domain()) + "</strong> went to several people at once, "
                + "so this link cannot tell which of them you are. Please ask the sender to stop sending to your address.</p>");
    }

    static String confirmationMissing() {
        return page("Unsubscribe", "<p>Please unsubscribe with the button on the page this link opens.</p>");
    }

    /** The form posts to the page's own URL, token and all; a GET (a mail scanner's) confirms nothing. */
    static String confirmIdentity(Identity identity) {
        if (identity.status() == IdentityStatus.VERIFIED) {
            return identityConfirmed(identity);
        }
        return page("Confirm sender address", "<p>Allow mail to be sent as <strong>" + escape(identity.email()) + "</strong>?</p>\n"
                + "<p>Confirm only if you asked for this, or someone you work with did.</p>\n<form method=\"post\">"
                + "<button type=\"submit\">Confirm</button></form>");
    }

    static String identityConfirmed(Identity identity) {
        return page("Address confirmed", "<p><strong>" + escape(identity.email()) + "</strong> is confirmed as a sender address.</p>");
    }

    static String invalid() {
        return page("Link not valid", "<p>This link is not valid. It may have been cut short or changed on its way to you.</p>");
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex">
                <title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}\
                button{font-size:1rem;padding:.5rem 1.5rem}</style>
                </head>
                <body>
                <h1>%s</h1>
                %s
                </body>
                </html>
                """.formatted(title, title, body);
    }

    private static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
