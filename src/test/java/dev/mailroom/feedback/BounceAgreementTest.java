package dev.mailroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Mailroom's bounce reading against Sisimai (Debian libsisimai-perl) on the real bounces that
 * Debian's python3-flufl.bounce ships as test data: for every sample both read as a bounce, do they
 * agree on hard or soft, and on the category? The figures go to docs/feedback.md.
 */
class BounceAgreementTest {
    private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/flufl/bounce/tests/data");
    /** Sisimai's reasons in Mailroom's categories; reasons that are no bounce verdict (onhold, vacation) are left out. */
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("userunknown", "bad_mailbox"), Map.entry("suspend", "bad_mailbox"), Map.entry("hostunknown", "bad_domain"),
            Map.entry("notaccept", "bad_domain"), Map.entry("mailboxfull", "mailbox_full"), Map.entry("filtered", "policy"),
            Map.entry("rejected", "policy"), Map.entry("policyviolation", "policy"), Map.entry("norelaying", "policy"),
            Map.entry("securityerror", "auth_failure"), Map.entry("spamdetected", "spam_related"), Map.entry("blocked", "spam_related"),
            Map.entry("toomanyconn", "rate_limited"), Map.entry("speeding", "rate_limited"), Map.entry("expired", "timeout"),
            Map.entry("networkerror", "connection"), Map.entry("mesgtoobig", "other"), Map.entry("exceedlimit", "other"),
            Map.entry("systemerror", "other"), Map.entry("systemfull", "other"), Map.entry("mailererror", "other"),
            Map.entry("undefined", "other"), Map.entry("syntaxerror", "other"), Map.entry("contenterror", "policy"));

    private record Verdict(boolean hard, String category) {}

    @Test
    void agreesWithSisimaiOnTheFluflBounceSamples() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLES), "python3-flufl.bounce is not installed (its samples are the test data); .ci/run installs it");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")) && sisimaiInstalled(), "libsisimai-perl is not installed; .ci/run installs it");
        List<Path> files;
        try (var listing = Files.list(SAMPLES)) {
            files = listing.filter(file -> file.toString().endsWith(".txt")).sorted().toList();
        }
        var sisimai = sisimai(files);
        int both = 0;
        int sameHardness = 0;
        int sameCategory = 0;
        int onlySisimai = 0;
        var disagreements = new ArrayList<String>();
        for (var file : files) {
            var theirs = sisimai.get(file.getFileName().toString());
            if (theirs == null) {
                continue; // no bounce verdict from Sisimai: nothing to compare
            }
            var ours = BounceReport.read(ReportParts.parse(Files.readAllBytes(file)));
            if (ours.isEmpty()) {
                onlySisimai++;
                continue;
            }
            both++;
            if (ours.get().hard() == theirs.hard()) {
                sameHardness++;
            }
            if (ours.get().category().code().equals(theirs.category())) {
                sameCategory++;
            } else {
                disagreements.add(file.getFileName() + ": " + theirs.category() + " / " + ours.get().category().code());
            }
        }
        System.out.printf("bounce agreement with Sisimai %s on %d flufl.bounce samples: %d judged by Sisimai, %d read by both; "
                + "hard/soft agree %d (%.0f%%), category agrees %d (%.0f%%); %d read by Sisimai only%n",
                version(), files.size(), sisimai.size(), both, sameHardness, 100.0 * sameHardness / both, sameCategory,
                100.0 * sameCategory / both, onlySisimai);
        System.out.println("category disagreements (Sisimai / Mailroom): " + disagreements);
        // floors at the figures reached (docs/feedback.md): they catch a change that reads fewer bounces or reads them worse
        assertThat(both).as("of what Sisimai reads, Mailroom reads").isGreaterThanOrEqualTo(sisimai.size() * 65 / 100);
        assertThat(sameHardness).as("hard/soft agreement").isGreaterThanOrEqualTo(both * 6 / 10);
    }

    private static boolean sisimaiInstalled() throws Exception {
        return new ProcessBuilder("/usr/bin/perl", "-MSisimai", "-e", "1").start().waitFor() == 0;
    }

    private static String version() throws Exception {
        var process = new ProcessBuilder("/usr/bin/perl", "-MSisimai", "-e", "print $Sisimai::VERSION").start();
        return new String(process.getInputStream().readAllBytes()).strip();
    }

    /** Sisimai's verdict on each file: its first recipient's reason and whether the bounce is hard (softbounce 0). */
    private static Map<String, Verdict> sisimai(List<Path> files) throws Exception {
        var command = new ArrayList<>(List.of("/usr/bin/perl", "-MSisimai", "-e",
                "for my $f (@ARGV) { my $v = Sisimai->make($f, delivered => 0) or next; my $e = $v->[0]; "
                        + "my ($name) = $f =~ m{([^/]+)$}; print join(\"\\t\", $name, $e->reason, $e->softbounce), \"\\n\" }"));
        files.forEach(file -> command.add(file.toString()));
        var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var verdicts = new HashMap<String, Verdict>();
        for (var line : output.split("\n")) {
            var fields = line.split("\t");
            if (fields.length == 3 && CATEGORIES.containsKey(fields[1]) && !fields[2].equals("-1")) {
                verdicts.put(fields[0], new Verdict(fields[2].equals("0"), CATEGORIES.get(fields[1])));
            }
        }
        return verdicts;
    }
}
