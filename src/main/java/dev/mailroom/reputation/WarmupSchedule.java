package dev.mailroom.reputation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A warm-up as data: daily caps by day number, day 1 being the first day the sender (a domain,
 * a source address) may send. Each step covers days {@code fromDay} to {@code toDay} with a cap
 * of {@code amount} recipients, or of {@code amount} percent of the sender's target daily volume.
 * After the last step there is no cap. Written as text, e.g. {@code 1-3:5000,4-7:25000,8-14:50%}.
 */
public record WarmupSchedule(List<Step> steps) {
    private static final Pattern STEP = Pattern.compile("(\\d{1,4})(?:-(\\d{1,4}))?:(\\d{1,12})(%?)");

    /** Days {@code fromDay}..{@code toDay} (1-based, inclusive) capped at {@code amount}, or {@code amount}% of the target. */
    public record Step(int fromDay, int toDay, long amount, boolean percentOfTarget) {
        long cap(long targetDailyVolume) {
            return percentOfTarget ? Math.max(1, targetDailyVolume * amount / 100) : amount;
        }

        @Override
        public String toString() {
            return (fromDay == toDay ? Integer.toString(fromDay) : fromDay + "-" + toDay) + ":" + amount + (percentOfTarget ? "%" : "");
        }
    }

    public WarmupSchedule {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a warm-up schedule needs at least one step");
        }
        int expected = 1;
        for (var step : steps) {
            if (step.fromDay() != expected || step.toDay() < step.fromDay()) {
                throw new IllegalArgumentException("step " + step + ": steps must run on from day " + expected
                        + " without gaps or overlaps, each ending on or after its first day");
            }
            if (step.amount() < 1 || step.percentOfTarget() && step.amount() > 1000) {
                throw new IllegalArgumentException("step " + step + ": a cap is at least 1 (and a share of the target at most 1000%)");
            }
            expected = step.toDay() + 1;
        }
    }

    /** Reads {@code 1-3:5000,4-7:25000,8-14:50%,15-30:100%} (a single day may stand alone: {@code 5:2000}). */
    public static WarmupSchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a warm-up schedule is a list of day-range:cap steps, e.g. 1-3:5000,4-7:25000,8-14:50%");
        }
        var steps = new ArrayList<Step>();
        for (var part : text.split(",")) {
            var matcher = STEP.matcher(part.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a step such as 1-3:5000 or 8-14:50%");
            }
            int from = Integer.parseInt(matcher.group(1));
            int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
            steps.add(new Step(from, to, Long.parseLong(matcher.group(3)), !matcher.group(4).isEmpty()));
        }
        return new WarmupSchedule(steps);
    }

    /** The last capped day; from the day after, the sender is warmed up. */
    public int lastDay() {
        return steps.getLast().toDay();
    }

    /** The cap on {@code day} (1-based) for a sender aiming at {@code targetDailyVolume}; empty: no cap (warmed up). */
    public OptionalLong capOn(int day, long targetDailyVolume) {
        for (var step : steps) {
            if (day >= step.fromDay() && day <= step.toDay()) {
                return OptionalLong.of(step.cap(targetDailyVolume));
            }
        }
        return OptionalLong.empty();
    }

    /** The text {@link #parse} reads. */
    @Override
    public String toString() {
        return String.join(",", steps.stream().map(Step::toString).toList());
    }
}
