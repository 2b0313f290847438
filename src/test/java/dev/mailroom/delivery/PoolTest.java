package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Weighted choice of a source address, and what counts as an address. */
class PoolTest {
    private static final PoolAddress A = new PoolAddress("192.0.2.1", "a.mail.example", 1);
    private static final PoolAddress B = new PoolAddress("192.0.2.2", "b.mail.example", 3);

    private static Pool pool(PoolAddress... addresses) {
        return new Pool("pool_x", "x", PoolTier.STANDARD, List.of(addresses), null, Instant.EPOCH);
    }

    /** A random source that draws the given number, to look at the boundaries between addresses. */
    private static RandomGenerator drawing(int ticket) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                assertThat(bound).isEqualTo(4);
                return ticket;
            }
        };
    }

    @Test
    void eachAddressOwnsAShareOfTheDrawsAsLargeAsItsWeight() {
        var pool = pool(A, B);
        assertThat(pool.pick(drawing(0), Set.of())).contains(A);
        assertThat(pool.pick(drawing(1), Set.of())).contains(B);
        assertThat(pool.pick(drawing(3), Set.of())).contains(B);
    }

    @Test
    void manyPicksFollowTheWeights() {
        var pool = pool(new PoolAddress("192.0.2.1", "a.mail.example", 100), new PoolAddress("192.0.2.2", "b.mail.example", 300),
                new PoolAddress("2001:db8::1", "c.mail.example", 600));
        var random = new SplittableRandom(20261124); // seeded: the same draws every run
        var counts = new HashMap<String, Integer>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(pool.pick(random, Set.of()).orElseThrow().address(), 1, Integer::sum);
        }
        assertThat(counts.get("192.0.2.1")).isBetween(9_500, 10_500);
        assertThat(counts.get("192.0.2.2")).isBetween(29_000, 31_000);
        assertThat(counts.get("2001:db8::1")).isBetween(59_000, 61_000);
    }

    @Test
    void skippedAddressesAreLeftOutAndTheOthersShareTheDraws() {
        var pool = pool(A, B);
        var random = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            assertThat(pool.pick(random, Set.of(B))).contains(A);
        }
        assertThat(pool.pick(random, Set.of(A, B))).as("every address skipped").isEmpty();
    }

    @Test
    void aPoolWithoutAddressesPicksNoneAndLeavesTheDefaultAddressToDelivery() {
        assertThat(pool().pick(new SplittableRandom(1), Set.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "' 198.51.100.7 ', 198.51.100.7",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8::0:1, 2001:db8::1",
        "2001:0db8:0000:0001:0000:0000:0000:0001, 2001:db8:0:1::1",
        "::ffff:192.0.2.9, 192.0.2.9",
        "::1, ::1",
        "127.0.0.2, 127.0.0.2"
    })
    void addressesAreKeptInOneSpelling(String given, String canonical) {
        assertThat(PoolAddress.canonical(given)).isEqualTo(canonical);
        assertThat(new PoolAddress(canonical, "mta.example", 1).inetAddress().getHostAddress()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mta1.example.com", "localhost", "127.1", "010.0.0.1", "192.0.2.256", "192.0.2", "fe80::1%eth0",
        "[2001:db8::1]", "2001:db8::1/128", "0.0.0.0", "::", "224.0.0.1", "ff02::1", ""})
    void anythingButAnAddressToBindToIsRefused(String given) {
        assertThatThrownBy(() -> PoolAddress.canonical(given)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'");
    }

    @Test
    void aSmarthostNeverPrintsItsPassword() {
        var relay = new Smarthost("smtp.esp.example", 587, Smarthost.Tls.STARTTLS, "agency", "s3cret-pass");
        assertThat(relay.toString()).doesNotContain("s3cret-pass").contains("smtp.esp.example:587");
    }
}
