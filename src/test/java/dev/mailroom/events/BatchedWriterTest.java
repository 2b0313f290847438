package dev.mailroom.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.store.Database;
import dev.mailroom.store.Ids;
import dev.mailroom.store.TestDatabase;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.TenantRepository;
import dev.mailroom.tenancy.TenantService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The message index written in batches: what it announces as written is in the database, with its events. */
@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class BatchedWriterTest {
    @Parameter
    TestDatabase kind;

    private TestDatabase.Instance instance;
    private Database database;
    private MessageIndex index;
    private EventLog events;
    private String tenant;

    @BeforeEach
    void open() {
        instance = kind.create();
        database = instance.open();
        var ids = new Ids(Clock.systemUTC());
        events = new EventLog(database.jdbi(), ids, Clock.systemUTC());
        index = new MessageIndex(database.jdbi(), events);
        tenant = new TenantService(new TenantRepository(database.jdbi(), events), ids, Clock.systemUTC(), "pool_starter").create("A", Map.of()).id();
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (instance != null) {
            instance.close();
        }
    }

    private static BatchedWriter<MessageRecord> messageIndexWriter(MessageIndex index, java.util.function.Consumer<List<String>> onWritten) {
        return new BatchedWriter<>("accepted messages", index::record, MessageRecord::id,
                records -> onWritten.accept(records.stream().map(MessageRecord::id).toList()));
    }

    private MessageRecord record(String id, String tenantId) {
        var now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new MessageRecord(id, tenantId, "dom_a", "x@tx.clienta.example", "Hello", "api", null, List.of("t"), Map.of("k", "v"), List.of(),
                100, now, List.of(new MessageRecord.Recipient(0, 0, "ann@example.net", RecipientStatus.QUEUED, null),
                        new MessageRecord.Recipient(1, null, "gone@example.net", RecipientStatus.SUPPRESSED, "on the suppression list")));
    }

    @Test
    void announcesOnlyWhatTheDatabaseTookAndWritesEventsWithIt() throws Exception {
        var announced = new CopyOnWriteArrayList<String>();
        try (var writer = messageIndexWriter(index, announced::addAll)) {
            var good = record("msg_good", tenant);
            var orphan = record("msg_orphan", "tnt_nobody"); // refused by the foreign key: a data error, given up
            assertThat(writer.reserve(2, Duration.ofSeconds(1))).isTrue();
            writer.add(List.of(good, orphan));
            assertThat(writer.unwritten("msg_good")).isPresent();
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(announced).containsExactly("msg_good");
            assertThat(writer.unwritten("msg_good")).isEmpty();
        }
        var view = index.find(Scope.tenant(tenant), "msg_good").orElseThrow();
        assertThat(view.recipients()).extracting(MessageView.RecipientView::status).containsExactly(RecipientStatus.QUEUED, RecipientStatus.SUPPRESSED);
        assertThat(index.find(Scope.tenant("tnt_other"), "msg_good")).isEmpty();
        var logged = events.list(new EventLog.Filter(tenant, null, "msg_good", null), null, 10).data();
        assertThat(logged).extracting(Event::type).containsExactly("message.queued", "message.suppressed");
        index.record(List.of(record("msg_good", tenant)));
        assertThat(events.list(new EventLog.Filter(tenant, null, "msg_good", null), null, 10).data()).as("a replay writes nothing twice").hasSize(2);
    }

    @Test
    void roomIsLimitedAndGivenBackOnceWritten() throws Exception {
        try (var writer = messageIndexWriter(index, ids -> {})) {
            assertThat(writer.reserve(BatchedWriter.CAPACITY, Duration.ofSeconds(1))).isTrue();
            assertThat(writer.reserve(1, Duration.ofMillis(50))).as("full").isFalse();
            writer.unreserve(BatchedWriter.CAPACITY - 1);
            writer.add(List.of(record("msg_one", tenant)));
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(writer.reserve(BatchedWriter.CAPACITY, Duration.ofSeconds(1))).as("room back after the write").isTrue();
        }
    }
}
