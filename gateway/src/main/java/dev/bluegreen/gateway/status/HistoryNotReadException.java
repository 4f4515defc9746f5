package dev.bluegreen.gateway.status;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The gateway has just started and is still reading the pipeline's history from Kafka: {@code 503} with
 * {@code Retry-After}, rather than an answer that would take what it does not know yet for what did not happen.
 */
public class HistoryNotReadException extends ResponseStatusException {

    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    HistoryNotReadException() {
        super(HttpStatus.SERVICE_UNAVAILABLE,
                "The gateway is still reading the pipeline's history from Kafka; try again shortly");
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
        return headers;
    }
}
