package dev.mailroom.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.message.TrackingToken.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which opens and clicks count as a machine's, and which do not. */
class MachineDetectorTest {
    private static final Duration LATER = Duration.ofMinutes(10);
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private final MachineDetector detector = new MachineDetector();

    @Test
    void proxiesAndScannersThatNameThemselves() {
        assertThat(detector.reason(Kind.OPEN, "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", LATER))
                .contains("google_image_proxy");
        assertThat(detector.reason(Kind.OPEN, "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", LATER))
                .contains("yahoo_mail_proxy");
        assertThat(detector.reason(Kind.CLICK, "Mozilla/5.0 (compatible; Barracuda Sentinel)", LATER)).contains("barracuda");
        assertThat(detector.reason(Kind.CLICK, "Proofpoint URL Defense", LATER)).contains("proofpoint");
        assertThat(detector.reason(Kind.CLICK, "Mimecast URL Protect", LATER)).contains("mimecast");
    }

    @Test
    void officeChecksLinksButShowsImagesToItsReader() {
        var office = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)";
        assertThat(detector.reason(Kind.CLICK, office, LATER)).contains("microsoft_office_link_check");
        assertThat(detector.reason(Kind.CLICK, "Microsoft Office Existence Discovery", LATER)).contains("microsoft_office_link_check");
        assertThat(detector.reason(Kind.OPEN, office, LATER)).isEmpty();
    }

    @Test
    void tooSoonAfterDeliveryForAPerson() {
        assertThat(detector.reason(Kind.OPEN, FIREFOX, Duration.ofMillis(1999))).contains("within_2s_of_delivery");
        assertThat(detector.reason(Kind.CLICK, null, Duration.ofMillis(300))).contains("within_2s_of_delivery");
        assertThat(detector.reason(Kind.OPEN, FIREFOX, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void browsersAndMissingAgentsLaterAreNot() {
        assertThat(detector.reason(Kind.CLICK, FIREFOX, LATER)).isEmpty();
        assertThat(detector.reason(Kind.OPEN, null, LATER)).isEmpty();
        // Apple Mail Privacy Protection fetches as a bare "Mozilla/5.0", as countless other clients do
        assertThat(detector.reason(Kind.OPEN, "Mozilla/5.0", LATER)).isEmpty();
    }
}
