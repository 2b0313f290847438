package dev.mailroom.reputation;

/**
 * Rates of a {@link Counts}, each null when its denominator was below the minimum volume:
 * bounce = (hard + soft bounced) / sent; hard bounce = hard bounced / sent; complaint =
 * complained / delivered; delivery = delivered / (delivered + hard bounced + failed).
 */
public record Rates(Double bounceRate, Double hardBounceRate, Double complaintRate, Double deliveryRate) {}
