package dev.mailroom.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolQueueTest {
    private static final Instant ACCEPTED = Instant.parse("2026-11-24T10:00:00Z");
    private static final long NOW = ACCEPTED.toEpochMilli() + 1000;
    @TempDir
    Path dir;

    private static SpooledMessage message(String id, String tenant, int priority, Instant notBefore, String... recipients) {
        return new SpooledMessage(id, tenant, "dom_" + tenant, "rp.example.com", List.of(recipients), ACCEPTED, notBefore, priority,
                null, ("Subject: " + id + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static List<String> names(Spool.Due due) {
        return due.recipients().stream().map(r -> r.messageId() + "/" + r.index()).toList();
    }

    private static Spool.Due due(Spool spool, String tenant) {
        return spool.due(tenant, NOW, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false);
    }

    @Test
    void aTenantsQueueServesHigherPrioritiesFirstThenByDueTime() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "tnt_a", 2, null, "bulk1@example.net", "bulk2@example.net"));
            spool.append(message("msg_2", "tnt_a", 0, null, "reset@example.net"));
            spool.append(message("msg_3", "tnt_a", 0, Instant.ofEpochMilli(NOW + 60_000), "later@example.net"));
            spool.append(message("msg_4", "tnt_b", 0, null, "other@example.net"));
            spool.markRecorded(List.of("msg_1", "msg_2", "msg_3", "msg_4"));

            var due = due(spool, "tnt_a");
            assertThat(names(due)).containsExactly("msg_2/0", "msg_1/0", "msg_1/1");
            assertThat(due.nextDueMillis()).isEqualTo(NOW + 60_000);
            var first = due.recipients().get(0);
            assertThat(first.address()).isEqualTo("reset@example.net");
            assertThat(first.domainId()).isEqualTo("dom_tnt_a");
            assertThat(first.acceptedAt()).isEqualTo(ACCEPTED);
            assertThat(first.failedAttempts()).isZero();
            assertThat(spool.queuedTenants()).containsExactly("tnt_a", "tnt_b");
            assertThat(names(spool.due("tnt_a", NOW + 60_000, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false))).hasSize(4);
            assertThat(names(spool.due("tnt_a", NOW, 2, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false))).containsExactly("msg_2/0", "msg_1/0");
            assertThat(names(spool.due("tnt_a", NOW, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> id.equals("msg_1") && index == 0)))
                    .containsExactly("msg_2/0", "msg_1/1");
            assertThat(names(spool.due("tnt_a", NOW + 60_000, 100, 0, (id, index) -> false))).as("priority 0 only").containsExactly("msg_2/0", "msg_3/0");
        }
    }

    @Test
    void messagesWaitUntilRecordedAndCancelledOnesLeaveTheQueue() throws Exception {
        try (var spool = Spool.open(dir)) {
            var woken = new ArrayList<String>();
            spool.onRecorded(() -> woken.add("recorded"));
            spool.append(message("msg_1", "tnt_a", 0, null, "a@example.net", "b@example.net"));
            assertThat(due(spool, "tnt_a").recipients()).isEmpty();
            spool.markRecorded(List.of("msg_1"));
            assertThat(woken).containsExactly("recorded");
            assertThat(names(due(spool, "tnt_a"))).containsExactly("msg_1/0", "msg_1/1");

            spool.cancelQueued("msg_1");
            assertThat(due(spool, "tnt_a").recipients()).isEmpty();
            assertThat(spool.queuedTenants()).as("stale entries are removed when met").isEmpty();
        }
    }

    @Test
    void aDeferralNeverUndoesACancellationNorLeavesTwoEntries() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "tnt_a", 0, null, "a@example.net"));
            spool.markRecorded(List.of("msg_1"));
            var held = due(spool, "tnt_a").recipients().get(0);
            spool.cancelQueued("msg_1");
            assertThat(spool.defer(held, NOW + 1000, 1, new byte[0])).isFalse();
            assertThat(spool.states("msg_1")).containsExactly(RecipientState.CANCELLED);
            assertThat(spool.queuedTenants()).isEmpty();

            spool.append(message("msg_2", "tnt_a", 0, null, "b@example.net"));
            spool.markRecorded(List.of("msg_2"));
            var first = due(spool, "tnt_a").recipients().get(0);
            assertThat(spool.defer(first, NOW - 1, 1, new byte[0])).isTrue();
            // a second attempt read from the old entry (a stale view) must not find it again
            assertThat(names(spool.due("tnt_a", NOW, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false))).containsExactly("msg_2/0");
        }
    }

    @Test
    void aPostponementMovesRecipientsWithoutAnAttemptOrReportAndSurvivesAReopen() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "tnt_a", 2, null, "a@example.net", "b@example.net", "c@example.net"));
            spool.markRecorded(List.of("msg_1"));
            var due = due(spool, "tnt_a").recipients();
            spool.cancelQueued("msg_1"); // cancels all three; then c is postponed as a stale read would
            spool.append(message("msg_2", "tnt_a", 2, null, "d@example.net", "e@example.net"));
            spool.markRecorded(List.of("msg_2"));
            var later = due(spool, "tnt_a").recipients();
            assertThat(spool.postpone(List.of(due.get(2), later.get(0), later.get(1)), NOW + 86_400_000)).as("the cancelled one is not moved").isEqualTo(2);
            assertThat(spool.states("msg_1")).containsOnly(RecipientState.CANCELLED);
            assertThat(due(spool, "tnt_a").recipients()).isEmpty();
        }
        try (var spool = Spool.open(dir)) {
            assertThat(due(spool, "tnt_a").recipients()).isEmpty();
            var moved = spool.due("tnt_a", NOW + 86_400_000, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false);
            assertThat(names(moved)).containsExactly("msg_2/0", "msg_2/1");
            assertThat(moved.recipients()).allSatisfy(r -> {
                assertThat(r.failedAttempts()).as("no attempt counted").isZero();
                assertThat(r.dueMillis()).isEqualTo(NOW + 86_400_000);
                assertThat(r.priority()).isEqualTo(2);
            });
            assertThat(spool.states("msg_2")).containsOnly(RecipientState.QUEUED);
            var reports = new ArrayList<byte[]>();
            spool.unreported(reports::add);
            assertThat(reports).as("no report").isEmpty();
        }
    }

    @Test
    void completedAndDeferredRecipientsMoveWithTheirReports() throws Exception {
        try (var spool = Spool.open(dir)) {
            spool.append(message("msg_1", "tnt_a", 0, null, "a@example.net", "b@example.net"));
            spool.markRecorded(List.of("msg_1"));
            var due = due(spool, "tnt_a").recipients();
            spool.complete(due.get(0), RecipientState.DELIVERED, 1, "delivered a".getBytes(StandardCharsets.UTF_8));
            spool.defer(due.get(1), NOW + 300_000, 1, "deferred b".getBytes(StandardCharsets.UTF_8));

            assertThat(spool.states("msg_1")).containsExactly(RecipientState.DELIVERED, RecipientState.DEFERRED);
            assertThat(due(spool, "tnt_a").recipients()).isEmpty();
            var retry = spool.due("tnt_a", NOW + 300_000, 100, SpooledMessage.LOWEST_PRIORITY, (id, index) -> false).recipients();
            assertThat(names(new Spool.Due(retry, 0))).containsExactly("msg_1/1");
            assertThat(retry.get(0).failedAttempts()).isEqualTo(1);
            assertThat(spool.state("msg_1", 1)).contains(RecipientState.DEFERRED);
        }
        try (var spool = Spool.open(dir)) {
            var reports = new ArrayList<String>();
            spool.unreported(bytes -> reports.add(new String(bytes, StandardCharsets.UTF_8)));
            assertThat(reports).containsExactly("delivered a", "deferred b");
            spool.reported(List.of(new Spool.ReportKey("msg_1", 0, 1)));
            reports.clear();
            spool.unreported(bytes -> reports.add(new String(bytes, StandardCharsets.UTF_8)));
            assertThat(reports).containsExactly("deferred b");
            assertThat(Set.copyOf(spool.queuedTenants())).containsExactly("tnt_a");
        }
    }
}
