package dev.bluegreen.digitalocean;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A DigitalOcean API call failed: an error answer, no answer in time, or no connection. The message says what
 * DigitalOcean said, and never holds the token.
 */
public class DigitalOceanException extends RuntimeException {

    private static final String BUSY = "can't be updated while it processes previous actions";
    private static final String PENDING = "pending event";

    private final int status;
    private final @Nullable String errorId;
    private final @Nullable Duration askedWait;

    DigitalOceanException(int status, @Nullable String errorId, String message) {
        this(status, errorId, message, null);
    }

    DigitalOceanException(int status, @Nullable String errorId, String message, @Nullable Duration askedWait) {
        super(message);
        this.status = status;
        this.errorId = errorId;
        this.askedWait = askedWait;
    }

    DigitalOceanException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorId = null;
        this.askedWait = null;
    }

    /** The HTTP status DigitalOcean answered, or 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** DigitalOcean's short error id, such as {@code not_found}, when it gave one. */
    public @Nullable String errorId() {
        return errorId;
    }

    /** How long DigitalOcean asked to wait before the next call (a 429's retry-after or rate-limit reset). */
    @Nullable Duration askedWait() {
        return askedWait;
    }

    /**
     * Whether the same call may succeed later: no answer, 429, 5xx, a balancer still busy with a previous change
     * (403), or a reserved IP with an action still pending (422). Any other 4xx will fail again the same way.
     */
    boolean retriable() {
        String message = String.valueOf(getMessage());
        return status == 0 || status == 429 || status >= 500
                || status == 403 && message.contains(BUSY)
                || status == 422 && message.contains(PENDING);
    }

    /** The same failure, saying how many attempts it took to give up. */
    DigitalOceanException afterAttempts(int attempts) {
        DigitalOceanException last = new DigitalOceanException(status, errorId,
                getMessage() + " (gave up after " + attempts + " attempts)", askedWait);
        last.initCause(getCause());
        return last;
    }
}
