package dev.mailroom.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.app.ConfigException;
import dev.mailroom.app.ConfigLoader;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Schedules as text, and the cap each day gets. */
class WarmupScheduleTest {
    @Test
    void theMarketingDefaultCapsByDayAndShareOfTheTarget() {
        var schedule = WarmupSchedule.parse("1-3:5000, 4-7:25000,8-14:50%,15-30:100%");
        assertThat(schedule.capOn(1, 100_000)).isEqualTo(OptionalLong.of(5000));
        assertThat(schedule.capOn(3, 100_000)).isEqualTo(OptionalLong.of(5000));
        assertThat(schedule.capOn(4, 100_000)).isEqualTo(OptionalLong.of(25_000));
        assertThat(schedule.capOn(8, 100_000)).isEqualTo(OptionalLong.of(50_000));
        assertThat(schedule.capOn(14, 60_000)).isEqualTo(OptionalLong.of(30_000));
        assertThat(schedule.capOn(30, 100_000)).isEqualTo(OptionalLong.of(100_000));
        assertThat(schedule.capOn(31, 100_000)).as("warmed up: no cap").isEmpty();
        assertThat(schedule.lastDay()).isEqualTo(30);
        assertThat(schedule).hasToString("1-3:5000,4-7:25000,8-14:50%,15-30:100%");
        assertThat(WarmupSchedule.parse(schedule.toString())).isEqualTo(schedule);
    }

    @Test
    void aSingleDayStandsAlone() {
        var schedule = WarmupSchedule.parse("1:1000,2:2000,3-7:5000");
        assertThat(schedule.capOn(2, 1)).isEqualTo(OptionalLong.of(2000));
        assertThat(schedule.capOn(8, 1)).isEmpty();
    }

    @Test
    void gapsOverlapsAndNonsenseAreRefusedSayingWhy() {
        assertThatThrownBy(() -> WarmupSchedule.parse("1-3:5000,5-7:100")).hasMessageContaining("from day 4");
        assertThatThrownBy(() -> WarmupSchedule.parse("2-3:5000")).hasMessageContaining("from day 1");
        assertThatThrownBy(() -> WarmupSchedule.parse("1-3:5000,3-7:100")).hasMessageContaining("from day 4");
        assertThatThrownBy(() -> WarmupSchedule.parse("1-3:0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> WarmupSchedule.parse("1-3:five")).hasMessageContaining("'1-3:five' is not a step");
        assertThatThrownBy(() -> WarmupSchedule.parse("")).hasMessageContaining("day-range:cap");
    }

    @Test
    void theDefaultsComeFromTheConfigurationAndABadScheduleStopsStartUp() {
        var config = ConfigLoader.load(null, Map.of()).warmup();
        assertThat(config.marketing().capOn(4, config.targetDailyVolume())).isEqualTo(OptionalLong.of(25_000));
        assertThat(config.transactional().capOn(7, config.targetDailyVolume())).isEqualTo(OptionalLong.of(80_000));
        assertThat(config.transactional().capOn(8, config.targetDailyVolume())).isEmpty();
        assertThat(config.targetDailyVolume()).isEqualTo(100_000);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MAILROOM_WARMUP_TRANSACTIONAL", "1-2:10,4:20")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MAILROOM_WARMUP_TRANSACTIONAL").hasMessageContaining("from day 3");
    }

    @Test
    void theIpDefaultRampsFromFiftyToTheTargetInThirtyDays() {
        var config = ConfigLoader.load(null, Map.of()).warmup();
        var ip = config.ip();
        assertThat(ip.capOn(1, config.targetDailyVolume())).isEqualTo(OptionalLong.of(50));
        assertThat(ip.capOn(2, config.targetDailyVolume())).isEqualTo(OptionalLong.of(100));
        assertThat(ip.capOn(6, config.targetDailyVolume())).isEqualTo(OptionalLong.of(1000));
        assertThat(ip.capOn(30, config.targetDailyVolume())).isEqualTo(OptionalLong.of(100_000));
        assertThat(ip.capOn(31, config.targetDailyVolume())).as("day 31: warmed up").isEmpty();
        assertThat(ip.lastDay()).isEqualTo(30);
        long previous = 0;
        for (int day = 1; day <= 30; day++) {
            long cap = ip.capOn(day, config.targetDailyVolume()).orElseThrow();
            assertThat(cap).as("day %d never falls, and at most doubles", day).isBetween(previous, Math.max(50, 2 * previous));
            previous = cap;
        }
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("MAILROOM_WARMUP_IP", "1:50,3:100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MAILROOM_WARMUP_IP").hasMessageContaining("from day 2");
    }
}
