package dev.mailroom.dns.spf;

/**
 * Ends the current check_host() level with temperror or permerror. RFC 7208 makes these
 * immediate from anywhere (a DNS failure inside an mx lookup, the eleventh DNS term), so
 * unwinding beats threading an error value through every mechanism.
 */
final class SpfAbort extends RuntimeException {
    private final SpfResult result;

    private SpfAbort(SpfResult result) {
        super(result.toString(), null, false, false);
        this.result = result;
    }

    static SpfAbort tempError(String reason) {
        return new SpfAbort(new SpfResult.TempError(reason));
    }

    static SpfAbort permError(String reason) {
        return new SpfAbort(new SpfResult.PermError(reason));
    }

    SpfResult result() {
        return result;
    }
}
