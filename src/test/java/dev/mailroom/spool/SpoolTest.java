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
        return new SpooledMessage(id, "tnt_a", "dom_a", "b+" + id + "@rp.tx.clienta.example", List.of(recipients),
                Instant.parse("2026-11-24T10:00:00Z"), body);
    }

    @Test
    void readsBackWhatItStored() throws Exception {
        try (var spool = Spool.open(dir)) {
            var stored = message("msg_1", "a@example.net", "b@example.org", "c@\u00fcber.example");
            spool.append(stored);
            var read = spool.read("msg_1").orElseThrow();
            assertThat(read.recipients()).containsExactly("a@example.net", "b@example.org", "c@\u00fcber.example");
            assertThat(read.body()).isEqualTo(stored.body());
            assertThat(read.mailFrom()).isEqualTo(stored.mailFrom());
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
}
