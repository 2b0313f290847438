package dev.mailroom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    static SpooledMessage message(String id, String... recipients) {
        var body = ("Message-ID: <" + id + "@tx.clienta.example>\r\nSubject: caf\u00e9\r\n\r\nHello " + id + "\r\n").getBytes(StandardCharsets.UTF_8);
        return new SpooledMessage(id, "tnt_a", "dom_a", "rp.tx.clienta.example", List.of(recipients),
                Instant.parse("2026-11-24T10:00:00Z"), null, 0, "notes".getBytes(StandardCharsets.UTF_8), body);
    }

    @Test
    void readsBackWhatItStored() throws Exception {
        try (var spool = Spool.open(dir)) {
            var stored = message("msg_1", "a@example.net", "b@example.org", "c@\u00fcber.example");
            spool.append(stored);
            var read = spool.read("msg_1").orElseThrow();
            assertThat(read.recipients()).containsExactly("a@example.net", "b@example.org", "c@\u00fcber.example");
            assertThat(read.body()).isEqualTo(stored.body());
            assertThat(read.returnPathDomain()).isEqualTo(stored.returnPathDomain());
            assertThat(read.notes()).isEqualTo(stored.notes());
            assertThat(read.acceptedAt()).isEqualTo(stored.acceptedAt());
            assertThat(spool.states("msg_1")).containsOnly(RecipientState.QUEUED).hasSize(3);
            assertThat(spool.read("msg_2")).isEmpty();
        }
    }

    @Test
    void unfinishedRecipientsAreFoundAgainAfterARestart() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "a@example.net", "b@example.org"));
            spool.append(message("msg_2", "c@example.net"));
            spool.setState("msg_1", 0, RecipientState.DELIVERED);
            spool.setState("msg_2", 0, RecipientState.DEFERRED);
        }
        try (var spool = Spool.open(dir)) {
            assertThat(spool.pending()).containsExactlyInAnyOrder(
                    new PendingRecipient("msg_1", 1, "b@example.org", RecipientState.QUEUED),
                    new PendingRecipient("msg_2", 0, "c@example.net", RecipientState.DEFERRED));
            assertThat(spool.states("msg_1")).containsExactly(RecipientState.DELIVERED, RecipientState.QUEUED);
        }
    }

    @Test
    void refusesWhatWouldDamageTheSpool() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "a@example.net"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.append(message("msg_1", "b@example.net")))
                    .hasMessageContaining("already spooled");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.setState("msg_1", 5, RecipientState.DELIVERED))
                    .hasMessageContaining("no recipient 5");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> message("msg#1", "a@example.net"))
                    .isInstanceOf(IllegalArgumentException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.read("MSG-1")).isInstanceOf(IllegalArgumentException.class);
            assertThat(spool.read("msg_1").orElseThrow().recipients()).containsExactly("a@example.net");
            assertThat(spool.states("msg_1")).containsExactly(RecipientState.QUEUED);
        }
    }

    @Test
    void anInterruptedWriterStillLearnsTheOutcome() throws Exception {
        try (var spool = Spool.open(dir)) {
            Thread.currentThread().interrupt();
            spool.append(message("msg_1", "a@example.net"));
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            assertThat(spool.read("msg_1")).isPresent();
        }
    }

    @Test
    void concurrentWritersAreAllStored() throws Exception {
        try (var spool = Spool.open(dir); var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 500; i++) {
                var id = "msg_" + i;
                futures.add(executor.submit(() -> {
                    spool.append(message(id, "r@example.net"));
                    return null;
                }));
            }
            for (var future : futures) {
                future.get();
            }
            for (int i = 0; i < 500; i++) {
                assertThat(spool.read("msg_" + i)).isPresent();
            }
            assertThat(spool.pending()).hasSize(500);
        }
    }

    @Test
    void aGroupOfMessagesIsStoredWholeOrNotAtAll() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_2", "a@example.net"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.appendAll(List.of(message("msg_1", "a@example.net"), message("msg_2", "b@example.net"))))
                    .hasMessageContaining("msg_2 is already spooled");
            assertThat(spool.read("msg_1")).isEmpty();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.appendAll(List.of(message("msg_3", "a@example.net"), message("msg_3", "b@example.net"))))
                    .hasMessageContaining("msg_3 is already spooled");
            assertThat(spool.read("msg_3")).isEmpty();
            spool.appendAll(List.of(message("msg_4", "a@example.net"), message("msg_5", "b@example.net", "c@example.net")));
            assertThat(spool.read("msg_5").orElseThrow().recipients()).containsExactly("b@example.net", "c@example.net");
        }
    }

    @Test
    void keepsTheScheduleOfAMessage() throws Exception {
        try (var spool = Spool.open(dir)) {
            var at = Instant.parse("2026-12-01T09:00:00Z");
            var scheduled = new SpooledMessage("msg_1", "tnt_a", "dom_a", "rp.tx.clienta.example", List.of("a@example.net"),
                    Instant.parse("2026-11-24T10:00:00Z"), at, 0, null, "body".getBytes(StandardCharsets.US_ASCII));
            spool.append(scheduled);
            assertThat(spool.read("msg_1").orElseThrow().notBefore()).isEqualTo(at);
            assertThat(spool.read("msg_1").orElseThrow().notes()).isEmpty();
        }
    }

    @Test
    void removesMessagesOnlyOnceEveryRecipientFinishedLongEnoughAgo() throws Exception {
        var clock = new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-11-24T10:00:00Z"));
        var ticking = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return clock.get(); }
        };
        try (var spool = Spool.open(dir, ticking)) {
            spool.append(message("msg_done", "a@example.net", "b@example.net"));
            spool.append(message("msg_half", "a@example.net", "b@example.net"));
            spool.append(message("msg_late", "a@example.net"));
            spool.setState("msg_done", 0, RecipientState.DELIVERED);
            spool.setState("msg_done", 1, RecipientState.BOUNCED);
            spool.setState("msg_half", 0, RecipientState.DELIVERED);
            clock.set(Instant.parse("2026-11-25T10:00:00Z"));
            spool.setState("msg_late", 0, RecipientState.CANCELLED);

            assertThat(spool.removeFinishedBefore(Instant.parse("2026-11-25T09:00:00Z"))).isEqualTo(1);
            assertThat(spool.read("msg_done")).isEmpty();
            assertThat(spool.states("msg_done")).isEmpty();
            assertThat(spool.read("msg_half")).isPresent();
            assertThat(spool.read("msg_late")).isPresent();
            assertThat(spool.pending()).extracting(PendingRecipient::messageId).containsExactly("msg_half");
        }
    }

    @Test
    void walksMessagesFromAnIdOnwards() throws Exception {
        try (var spool = Spool.open(dir)) {
            for (var id : List.of("msg_a", "msg_b", "msg_c")) {
                spool.append(message(id, "r@example.net"));
            }
            var seen = new ArrayList<String>();
            spool.acceptedSince("msg_b", m -> seen.add(m.id()));
            assertThat(seen).containsExactly("msg_b", "msg_c");
        }
    }

    @Test
    void remembersWhichMessagesAreNotRecordedYetAcrossARestart() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.appendAll(List.of(message("msg_a", "r@example.net"), message("msg_b", "r@example.net"), message("msg_c", "r@example.net")));
            spool.markRecorded(List.of("msg_b"));
        }
        try (var spool = Spool.open(dir)) {
            var left = new ArrayList<String>();
            spool.unrecorded(m -> left.add(m.id()));
            assertThat(left).containsExactly("msg_a", "msg_c");
        }
    }
}
