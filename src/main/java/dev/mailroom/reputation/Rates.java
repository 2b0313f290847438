package dev.mailroom.reputation;

/**
 * Rates of a {@link Counts}, each null when its denominator was below the minimum volume:
 * with attempted = delivered + hard bounced + failed: bounce = (hard + soft bounced) / attempted;
 * hard bounce = hard bounced / attempted; complaint = complained / delivered; delivery =
 * delivered / attempted.
 */
public record Rates(Double bounceRate, Double hardBounceRate, Double complaintRate, Double deliveryRate) {}
