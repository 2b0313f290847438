package dev.mailroom.reputation;

import dev.mailroom.tenancy.FieldError;
import dev.mailroom.tenancy.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a tenant's rates call for action. Bounce and complaint rates are bad above their bands,
 * the delivery rate below its band; above the pause rates the tenant's mail stops. Defaults are
 * the field's: bounce 2 % / 5 %, complaint 0.1 % / 0.2 % (Gmail's and Yahoo's bulk-sender limit
 * is 0.3 %), delivery 95 % / 90 %, pause at 10 % hard bounces or 0.5 % complaints.
 */
public record Thresholds(Band bounceRate, Band complaintRate, Band deliveryRate, double pauseHardBounceRate, double pauseComplaintRate) {
    public static final Thresholds DEFAULTS = new Thresholds(new Band(0.02, 0.05), new Band(0.001, 0.002), new Band(0.95, 0.90), 0.10, 0.005);

    /** Where a rate starts to warn and where it becomes critical. */
    public record Band(double warning, double critical) {}

    /** Names of the settings, as the API and the configuration write them. */
    static final String[] NAMES = {"bounce_rate.warning", "bounce_rate.critical", "complaint_rate.warning", "complaint_rate.critical",
        "delivery_rate.warning", "delivery_rate.critical", "pause.hard_bounce_rate", "pause.complaint_rate"};

    public Map<String, Double> asMap() {
        var map = new LinkedHashMap<String, Double>();
        double[] values = {bounceRate.warning(), bounceRate.critical(), complaintRate.warning(), complaintRate.critical(),
            deliveryRate.warning(), deliveryRate.critical(), pauseHardBounceRate, pauseComplaintRate};
        for (int i = 0; i < NAMES.length; i++) {
            map.put(NAMES[i], values[i]);
        }
        return map;
    }

    /** These thresholds with {@code overrides} (names as {@link #asMap}) put over them, checked. */
    public Thresholds with(Map<String, Double> overrides) {
        var map = asMap();
        var errors = new ArrayList<FieldError>();
        overrides.forEach((name, value) -> {
            if (!map.containsKey(name)) {
                errors.add(new FieldError(name, "is not a threshold; they are " + String.join(", ", NAMES)));
            } else if (value == null || value <= 0 || value > 1) {
                errors.add(new FieldError(name, "must be a fraction above 0 and at most 1 (0.02 is 2 %)"));
            } else {
                map.put(name, value);
            }
        });
        if (errors.isEmpty()) {
            check(map, "bounce_rate", true, errors);
            check(map, "complaint_rate", true, errors);
            check(map, "delivery_rate", false, errors);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Thresholds(new Band(map.get(NAMES[0]), map.get(NAMES[1])), new Band(map.get(NAMES[2]), map.get(NAMES[3])),
                new Band(map.get(NAMES[4]), map.get(NAMES[5])), map.get(NAMES[6]), map.get(NAMES[7]));
    }

    private static void check(Map<String, Double> map, String metric, boolean badAbove, ArrayList<FieldError> errors) {
        double warning = map.get(metric + ".warning");
        double critical = map.get(metric + ".critical");
        if (badAbove ? warning >= critical : warning <= critical) {
            errors.add(new FieldError(metric + ".critical", badAbove ? "must be above the warning threshold (" + warning + ")"
                    : "must be below the warning threshold (" + warning + "): a delivery rate is bad when low"));
        }
    }
}
