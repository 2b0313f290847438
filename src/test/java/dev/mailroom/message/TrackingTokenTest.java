package dev.mailroom.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.message.TrackingToken.Kind;
import dev.mailroom.message.TrackingToken.Target;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrackingTokenTest {
    private static final String ID = "msg_01jq3m8k5x9v7yb2c4d6f8h0jk";

    static byte[] secret() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private final TrackingToken tokens = new TrackingToken(secret());

    @Test
    void everyKindDecodesToWhatItNames() {
        var targets = List.of(
                Target.open(ID, OptionalInt.of(0)),
                Target.open(ID, OptionalInt.empty()),
                Target.click(ID, OptionalInt.of(99_999), 0),
                Target.click("m", OptionalInt.empty(), 99_999),
                Target.unsubscribe(ID, OptionalInt.of(17)),
                Target.unsubscribe("a".repeat(64), OptionalInt.empty()));
        for (var target : targets) {
            var token = tokens.encode(target);
            assertThat(token).as(target.toString()).matches("[0-9a-z_-]+");
            assertThat(tokens.decode(target.kind(), token)).as(token).contains(target);
            assertThat(tokens.decode(target.kind(), token.toUpperCase(Locale.ROOT))).as("case changed in transit").contains(target);
        }
        assertThat(tokens.encode(Target.click(ID, OptionalInt.of(3), 12))).matches(ID + "-3-12-[0-9a-z]{13}");
        assertThat(tokens.encode(Target.open(ID, OptionalInt.empty()))).matches(ID + "-w-[0-9a-z]{13}");
    }

    @Test
    void urlsPointAtTheirKindsPath() {
        var open = tokens.url("https://t.news.clienta.com/", Target.open(ID, OptionalInt.of(2)));
        assertThat(open).startsWith("https://t.news.clienta.com/o/" + ID + "-2-");
        assertThat(tokens.decode(Kind.OPEN, open.substring(open.lastIndexOf('/') + 1))).isPresent();
        assertThat(tokens.url("http://track.mailroom.localhost:8025/t", Target.click(ID, OptionalInt.empty(), 1)))
                .startsWith("http://track.mailroom.localhost:8025/t/c/" + ID + "-w-1-");
        assertThat(tokens.url("https://t.x.example", Target.unsubscribe(ID, OptionalInt.of(0)))).contains("/u/");
        for (var bad : List.of("t.x.example", "ftp://t.x.example", "https://t.x.example/?a=1", "https://t.x.example/#", "javascript:alert(1)//",
                "https://t.x.example/\"><script>")) {
            assertThatThrownBy(() -> tokens.url(bad, Target.open(ID, OptionalInt.empty()))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void forgedOrAlteredTokensAreRejected() {
        var token = tokens.encode(Target.click(ID, OptionalInt.of(5), 2));
        assertThat(tokens.decode(Kind.CLICK, token.replace("-5-2-", "-6-2-"))).as("another recipient").isEmpty();
        assertThat(tokens.decode(Kind.CLICK, token.replace("-5-2-", "-5-3-"))).as("another link").isEmpty();
        assertThat(tokens.decode(Kind.CLICK, token.replace("-5-2-", "-w-2-"))).as("the whole message").isEmpty();
        assertThat(tokens.decode(Kind.CLICK, token.replace("0jk-", "0jm-"))).as("another message").isEmpty();
        assertThat(tokens.decode(Kind.CLICK, token.replace("-5-2-", "-05-2-"))).as("a second spelling").isEmpty();
        assertThat(new TrackingToken(secret()).decode(Kind.CLICK, token)).as("another installation's key").isEmpty();
        var mac = token.substring(token.lastIndexOf('-') + 1);
        var flipped = (mac.charAt(0) == '0' ? '1' : '0') + mac.substring(1);
        assertThat(tokens.decode(Kind.CLICK, token.replace(mac, flipped))).isEmpty();
        for (var malformed : List.of("", "-", "x", token + "-", token + "a", token.substring(1) + "-", ID + "-5-2", "MSG-5-2-" + mac,
                ID + "-100000-2-" + mac, ID + "-5-2-" + mac.substring(1), ID + "-5-2-" + mac + "/", "a".repeat(65) + "-5-2-" + mac)) {
            assertThat(tokens.decode(Kind.CLICK, malformed)).as(malformed).isEmpty();
        }
    }

    @Test
    void aTokenOnlyWorksAsItsOwnKind() {
        var open = tokens.encode(Target.open(ID, OptionalInt.of(1)));
        assertThat(tokens.decode(Kind.UNSUBSCRIBE, open)).as("an image proxy fetching the pixel unsubscribes nobody").isEmpty();
        assertThat(tokens.decode(Kind.CLICK, open)).isEmpty();
        var unsubscribe = tokens.encode(Target.unsubscribe(ID, OptionalInt.of(1)));
        assertThat(tokens.decode(Kind.OPEN, unsubscribe)).isEmpty();
    }

    @Test
    void theUnsubscribeAddressFitsALocalPartAndSurvivesCaseChanges() {
        var target = Target.unsubscribe(ID, OptionalInt.of(99_999));
        var address = tokens.unsubscribeAddress(target, "rp.news.clienta.com");
        assertThat(address).matches("u-" + ID + "-99999-[0-9a-z]{13}@rp\\.news\\.clienta\\.com");
        assertThat(address.substring(0, address.indexOf('@'))).hasSize(52);
        assertThat(tokens.decodeUnsubscribeAddress(address)).contains(target);
        assertThat(tokens.decodeUnsubscribeAddress(address.toUpperCase(Locale.ROOT))).contains(target);
        assertThat(tokens.decodeUnsubscribeAddress(address.replace("u-", "b-"))).isEmpty();
        assertThat(tokens.decodeUnsubscribeAddress("postmaster@rp.news.clienta.com")).isEmpty();

        var longest = Target.unsubscribe("m".repeat(42), OptionalInt.of(99_999));
        assertThat(tokens.unsubscribeAddress(longest, "rp.x.example").indexOf('@')).isEqualTo(64);
        assertThatThrownBy(() -> tokens.unsubscribeAddress(Target.unsubscribe("m".repeat(43), OptionalInt.of(99_999)), "rp.x.example"))
                .hasMessageContaining("64");
        assertThatThrownBy(() -> tokens.unsubscribeAddress(Target.open(ID, OptionalInt.of(0)), "rp.x.example"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTargetsATokenCanCarryAreMade() {
        assertThatThrownBy(() -> new TrackingToken(new byte[31])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Target.open("Msg_1", OptionalInt.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.open("", OptionalInt.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.open("m".repeat(65), OptionalInt.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.open("msg-1", OptionalInt.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.open(ID, OptionalInt.of(100_000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.open(ID, OptionalInt.of(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Target.click(ID, OptionalInt.empty(), 100_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Target(Kind.OPEN, ID, OptionalInt.empty(), OptionalInt.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Target(Kind.CLICK, ID, OptionalInt.empty(), OptionalInt.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
