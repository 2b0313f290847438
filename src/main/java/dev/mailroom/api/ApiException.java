package dev.mailroom.api;

/** Ends a request with a problem document. */
public final class ApiException extends RuntimeException {
    private final Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(Problem.of(400, "bad-request", "Bad request", detail));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(Problem.of(401, "unauthorized", "Unauthorized", detail));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(Problem.of(403, "forbidden", "Forbidden", detail));
    }
}
