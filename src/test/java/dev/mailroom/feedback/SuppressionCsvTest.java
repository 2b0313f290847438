package dev.mailroom.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.tenancy.ValidationException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionCsvTest {
    @Test
    void readsAddressesWithOrWithoutReasonsAndSkipsTheHeader() {
        var rows = SuppressionCsv.read("email,reason\r\nann@example.net\r\n\"bob@example.org\",complaint\r\n\r\ncy@example.com,UNSUBSCRIBE\r\n");
        assertThat(rows).containsExactly(new SuppressionCsv.Row("ann@example.net", null, SuppressionReason.MANUAL),
                new SuppressionCsv.Row("bob@example.org", null, SuppressionReason.COMPLAINT),
                new SuppressionCsv.Row("cy@example.com", null, SuppressionReason.UNSUBSCRIBE));
    }

    @Test
    void anyBadLineRefusesTheWholeImportNamingEachLine() {
        var e = catchThrowableOfType(ValidationException.class, () -> SuppressionCsv.read("ann@example.net\nnot an address\nbob@example.org,angry\n"));
        assertThat(e.errors()).extracting(dev.mailroom.tenancy.FieldError::field).containsExactly("line 2", "line 3");
        assertThat(e.errors().get(1).message()).contains("hard_bounce, complaint, unsubscribe or manual");
    }

    @Test
    void writesWhatItCanReadBack() {
        var csv = SuppressionCsv.write(List.of(new Suppression("sup_1", "tnt_a", null, "ann@example.net", SuppressionReason.HARD_BOUNCE, null,
                Instant.parse("2026-11-24T10:00:00Z")), new Suppression("sup_2", "tnt_a", "dom_news", "bob@example.org", SuppressionReason.UNSUBSCRIBE, "evt_1",
                Instant.parse("2026-11-24T11:00:00Z"))));
        assertThat(csv).isEqualTo("email,domain_id,reason,created_at\r\nann@example.net,,hard_bounce,2026-11-24T10:00:00Z\r\n"
                + "bob@example.org,dom_news,unsubscribe,2026-11-24T11:00:00Z\r\n");
        assertThat(SuppressionCsv.read(csv)).containsExactly(new SuppressionCsv.Row("ann@example.net", null, SuppressionReason.HARD_BOUNCE),
                new SuppressionCsv.Row("bob@example.org", "dom_news", SuppressionReason.UNSUBSCRIBE));
        assertThat(SuppressionCsv.read("email.ops@example.net\n")).as("an address is no header").hasSize(1);
    }
}
