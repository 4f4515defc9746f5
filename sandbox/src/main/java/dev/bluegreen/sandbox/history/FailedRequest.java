package dev.bluegreen.sandbox.history;

import org.jspecify.annotations.Nullable;

/**
 * A request an entry point relayed that failed: its client got a status outside 2xx, or its answer broke off.
 *
 * @param at when the proxy was done with it
 * @param path the raw path, without the query
 * @param status the status the client got, or -1 when it got none
 * @param dropletId the droplet that answered, or null when none did (the proxy's own 502, 503 or 504)
 * @param error what broke off the answer, or null when the client got all of it
 */
public record FailedRequest(Moment at, String method, String path, int status, @Nullable Long dropletId,
        @Nullable String error) {

    @Override
    public String toString() {
        return method + " " + path + " at " + at + ": " + (status < 0 ? "no status" : "status " + status)
                + (dropletId == null ? "" : " from droplet " + dropletId) + (error == null ? "" : ", " + error);
    }
}
