package dev.mailroom.reputation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a tenant's (or a pool's) rates say against its thresholds: a level per watched rate, and
 * whether the tenant must stop. A rate below the minimum volume is null and says nothing: its
 * level is unknown, so an open alert about it stays as it is.
 */
public record Verdict(Map<String, Level> levels, boolean pause, String pauseReason) {
    public enum Level {
        UNKNOWN, OK, WARNING, CRITICAL
    }

    public static final String BOUNCE = "bounce_rate";
    public static final String COMPLAINT = "complaint_rate";
    public static final String DELIVERY = "delivery_rate";
    public static final String HARD_BOUNCE = "hard_bounce_rate";

    public static Verdict of(Rates rates, Thresholds thresholds) {
        var levels = new LinkedHashMap<String, Level>();
        levels.put(BOUNCE, above(rates.bounceRate(), thresholds.bounceRate()));
        levels.put(COMPLAINT, above(rates.complaintRate(), thresholds.complaintRate()));
        levels.put(DELIVERY, below(rates.deliveryRate(), thresholds.deliveryRate()));
        var hard = rates.hardBounceRate();
        var complaints = rates.complaintRate();
        levels.put(HARD_BOUNCE, hard == null ? Level.UNKNOWN : hard > thresholds.pauseHardBounceRate() ? Level.CRITICAL : Level.OK);
        String pauseReason = null;
        if (hard != null && hard > thresholds.pauseHardBounceRate()) {
            pauseReason = "hard bounce rate " + Percent.of(hard) + " is above " + Percent.of(thresholds.pauseHardBounceRate());
        } else if (complaints != null && complaints > thresholds.pauseComplaintRate()) {
            pauseReason = "complaint rate " + Percent.of(complaints) + " is above " + Percent.of(thresholds.pauseComplaintRate());
        }
        return new Verdict(Map.copyOf(levels), pauseReason != null, pauseReason);
    }

    public Level level(String metric) {
        return levels.getOrDefault(metric, Level.UNKNOWN);
    }

    /** The rates that are critical, of those that throttle (bounce, complaint, delivery). */
    boolean anyCritical() {
        return level(BOUNCE) == Level.CRITICAL || level(COMPLAINT) == Level.CRITICAL || level(DELIVERY) == Level.CRITICAL;
    }

    private static Level above(Double rate, Thresholds.Band band) {
        if (rate == null) {
            return Level.UNKNOWN;
        }
        return rate > band.critical() ? Level.CRITICAL : rate > band.warning() ? Level.WARNING : Level.OK;
    }

    private static Level below(Double rate, Thresholds.Band band) {
        if (rate == null) {
            return Level.UNKNOWN;
        }
        return rate < band.critical() ? Level.CRITICAL : rate < band.warning() ? Level.WARNING : Level.OK;
    }
}
