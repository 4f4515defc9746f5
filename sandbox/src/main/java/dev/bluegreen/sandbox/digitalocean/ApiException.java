package dev.bluegreen.sandbox.digitalocean;

/**
 * A request the simulated DigitalOcean refuses, carrying what the API answers: the HTTP status and the error
 * body's {@code id} and {@code message}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String errorId;

    public ApiException(int status, String errorId, String message) {
        super(message);
        this.status = status;
        this.errorId = errorId;
    }

    public int status() {
        return status;
    }

    public String errorId() {
        return errorId;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException unprocessable(String message) {
        return new ApiException(422, "unprocessable_entity", message);
    }
}
