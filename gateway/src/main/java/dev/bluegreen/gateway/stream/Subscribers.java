package dev.bluegreen.gateway.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Counts the open event streams, in all and per holder (a token, or an anonymous reader's address), and refuses one
 * beyond either cap with {@code 429}: each stream holds a connection and a buffer, so without a cap a few clients
 * could open streams until the gateway has nothing left for anyone else.
 */
@Component
class Subscribers {

    private static final String RETRY_AFTER_SECONDS = "30";

    private final int maxTotal;
    private final int maxPerHolder;
    private final Map<String, Integer> open = new HashMap<>();
    private int total;

    Subscribers(StreamProperties settings) {
        this.maxTotal = settings.maxSubscribers();
        this.maxPerHolder = settings.maxSubscribersPerToken();
    }

    /**
     * @param holder who opens the stream: a token's name, or {@code address <ip>} for an anonymous reader
     * @return the stream's place, to give back once the stream ends
     * @throws ResponseStatusException {@code 429} beyond a cap
     */
    synchronized Place admit(String holder, String holderInWords) {
        int held = open.getOrDefault(holder, 0);
        if (held >= maxPerHolder) {
            throw tooMany(holderInWords + " has " + held + " event streams open, as many as the gateway allows one "
                    + "reader (bluegreen.gateway.stream.max-subscribers-per-token); close one first");
        }
        if (total >= maxTotal) {
            throw tooMany("The gateway serves as many event streams as it allows (" + maxTotal + "); try again "
                    + "later");
        }
        open.put(holder, held + 1);
        total++;
        return new Place(holder);
    }

    synchronized int open() {
        return total;
    }

    private synchronized void leave(String holder) {
        total--;
        open.computeIfPresent(holder, (key, held) -> held > 1 ? held - 1 : null);
    }

    private static ResponseStatusException tooMany(String reason) {
        return new TooManyStreams(reason);
    }

    /** {@code 429} with {@code Retry-After}: streams end all the time, so a later try may well get in. */
    static final class TooManyStreams extends ResponseStatusException {

        TooManyStreams(String reason) {
            super(HttpStatus.TOO_MANY_REQUESTS, reason);
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            return headers;
        }
    }

    /** One open stream's place; given back once, however its stream ends. */
    final class Place {
        private final String holder;
        private final AtomicBoolean left = new AtomicBoolean();

        private Place(String holder) {
            this.holder = holder;
        }

        void leave() {
            if (left.compareAndSet(false, true)) {
                Subscribers.this.leave(holder);
            }
        }
    }
}
