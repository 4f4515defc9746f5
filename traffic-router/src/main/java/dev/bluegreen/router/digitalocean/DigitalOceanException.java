package dev.bluegreen.router.digitalocean;

import org.jspecify.annotations.Nullable;

/**
 * A DigitalOcean API call failed: an error answer, no answer in time, or no connection. The message says what
 * DigitalOcean said, and never holds the token.
 */
public class DigitalOceanException extends RuntimeException {

    private final int status;
    private final @Nullable String errorId;

    DigitalOceanException(int status, @Nullable String errorId, String message) {
        super(message);
        this.status = status;
        this.errorId = errorId;
    }

    DigitalOceanException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorId = null;
    }

    /** The HTTP status DigitalOcean answered, or 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** DigitalOcean's short error id, such as {@code not_found}, when it gave one. */
    public @Nullable String errorId() {
        return errorId;
    }
}
