package dev.mailroom.dns.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every scenario of the RFC 7208 test suite against {@link SpfEvaluator}, one dynamic test each. */
class SpfTestSuiteTest {
    /** The suite's driver sets "DEFAULT" as the default explanation, and its expected values say so. */
    private static final String DEFAULT_EXPLANATION = "DEFAULT";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TestFactory
    Stream<DynamicTest> rfc7208TestSuite() throws IOException {
        if (!Files.isReadable(SpfTestSuite.FILE)) {
            // A skipped test rather than an aborted factory: Surefire counts and reports only the former.
            return Stream.of(dynamicTest("RFC 7208 test suite", () -> Assumptions.abort(
                    "RFC 7208 test suite not found at " + SpfTestSuite.FILE + ": apt-get install python3-spf")));
        }
        return SpfTestSuite.load(SpfTestSuite.FILE).stream().flatMap(section -> {
            var evaluator = new SpfEvaluator(section.zone(), CLOCK, "receiver.example", DEFAULT_EXPLANATION);
            return section.scenarios().stream().map(scenario -> {
                var name = section.description() + " / " + scenario.name();
                return dynamicTest(name, () -> run(evaluator, name, scenario));
            });
        });
    }

    /** The name goes into the messages too: Surefire's summary shows only the factory's index. */
    private static void run(SpfEvaluator evaluator, String name, SpfTestSuite.Scenario scenario) {
        var result = evaluator.check(InetAddress.ofLiteral(scenario.host()), scenario.mailFrom(), scenario.helo());
        assertThat(result.code()).as("%s (RFC 7208 %s), got %s", name, scenario.spec(), result).isIn(scenario.results());
        scenario.explanation().ifPresent(expected -> assertThat(result).as("%s", name).isInstanceOfSatisfying(SpfResult.Fail.class,
                fail -> assertThat(fail.explanation()).as("%s: explanation", name).isEqualTo(expected)));
    }
}
