package dev.mailroom.tracking;

import dev.mailroom.message.TrackingToken.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises opens and clicks made by a machine rather than by the recipient's own mail program
 * or browser: privacy proxies that fetch images for a mailbox, and security scanners that follow
 * links before the person does. Only what names itself (or comes too soon to be a person) is
 * recognised; a scanner that poses as a browser from an ordinary address is not.
 */
final class MachineDetector {
    /** Sooner than this after delivery, nobody has read the message yet: a scanner or prefetch at delivery. */
    static final Duration AFTER_DELIVERY = Duration.ofSeconds(2);

    /** A user agent part (matched ignoring case), what it means, and whether it is a machine on opens too. */
    private record Agent(String part, String reason, boolean opens) {}

    private static final List<Agent> AGENTS = List.of(
            // Gmail fetches images through its proxy, which names itself
            // "... (via ggpht.com GoogleImageProxy)" (Google Workspace Admin Help, "image URL proxy")
            new Agent("googleimageproxy", "google_image_proxy", true),
            // Yahoo Mail's image proxy: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"
            new Agent("yahoomailproxy", "yahoo_mail_proxy", true),
            // link-protection scanners of secure email gateways, where they name themselves:
            // Barracuda Link Protection, Proofpoint URL Defense, Mimecast URL Protect
            new Agent("barracuda", "barracuda", true),
            new Agent("proofpoint", "proofpoint", true),
            new Agent("mimecast", "mimecast", true),
            // Office checks a link ("Microsoft Office Existence Discovery", "Microsoft Office/16.0 (... Microsoft
            // Outlook ...)") before handing it to the browser, whose own request follows; on an image it is Outlook
            // showing the message to its reader, so opens with it are the person's
            new Agent("microsoft office", "microsoft_office_link_check", false));

    /** Why a request was a machine's, or empty when nothing says so. */
    Optional<String> reason(Kind kind, String userAgent, Duration sinceDelivery) {
        if (userAgent != null) {
            var agent = userAgent.toLowerCase(Locale.ROOT);
            var known = AGENTS.stream().filter(a -> (a.opens() || kind != Kind.OPEN) && agent.contains(a.part())).findFirst();
            if (known.isPresent()) {
                return Optional.of(known.get().reason());
            }
        }
        return sinceDelivery.compareTo(AFTER_DELIVERY) < 0 ? Optional.of("within_2s_of_delivery") : Optional.empty();
    }
}
