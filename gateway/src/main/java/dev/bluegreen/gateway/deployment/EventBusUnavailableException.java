package dev.bluegreen.gateway.deployment;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Kafka did not acknowledge a request's event, so nothing will act on it: {@code 503}. The reason speaks to the
 * person who asked; the cause stays in the gateway's log.
 */
class EventBusUnavailableException extends ResponseStatusException {

    EventBusUnavailableException(String reason, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, reason, cause);
    }
}
