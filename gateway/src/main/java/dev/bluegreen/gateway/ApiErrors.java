package dev.bluegreen.gateway;

import java.time.Duration;
import java.util.stream.Collectors;

import io.netty.channel.ChannelException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import dev.bluegreen.apps.UnknownAppException;

/**
 * Every failed request is answered as {@code {"error":"..."}}, a sentence for the person who asked. Stack traces and
 * exception internals stay in the log.
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final long maxBodyBytes;
    private final Duration requestTimeout;

    ApiErrors(BodySizeLimit.Settings limits) {
        this.maxBodyBytes = limits.maxBodySize().toBytes();
        this.requestTimeout = limits.requestTimeout();
    }

    record ApiError(String error) {
    }

    @ExceptionHandler
    ResponseEntity<ApiError> unknownApp(UnknownAppException e) {
        return answer(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ApiError> invalidBody(WebExchangeBindException e) {
        String problems = e.getFieldErrors().stream()
                .map(error -> error.getField() + " " + error.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return answer(HttpStatus.BAD_REQUEST, problems.isEmpty() ? "The request body is not valid" : problems);
    }

    @ExceptionHandler
    ResponseEntity<ApiError> unreadableInput(ServerWebInputException e) {
        if ("No request body".equals(e.getReason())) {
            return answer(HttpStatus.BAD_REQUEST, "This request needs a JSON body, such as {\"ref\":\"v2\"}");
        }
        if (e.getCause() != null) {
            return answer(HttpStatus.BAD_REQUEST, "The request body is not valid JSON of the expected shape");
        }
        return status(e);
    }

    /** A body sent without its length, found too large while read (one with its length never gets here). */
    @ExceptionHandler
    ResponseEntity<ApiError> tooLarge(ContentTooLargeException e) {
        return answer(HttpStatus.CONTENT_TOO_LARGE, BodySizeLimit.tooLarge(maxBodyBytes));
    }

    /**
     * A client that sent part of its body, then too little or nothing for too long ({@link SlowClients}). Reactor
     * Netty's own exception for it is not public: it is the channel exception its name says it is.
     */
    @ExceptionHandler({ReadTimeoutException.class, ChannelException.class})
    ResponseEntity<ApiError> tooSlow(Exception e) {
        boolean timedOut = e instanceof ReadTimeoutException
                || e.getClass().getSimpleName().equals("RequestTimeoutException");
        if (!timedOut) {
            return unexpected(e);
        }
        return answer(HttpStatus.REQUEST_TIMEOUT, "The request's body did not arrive in time: send all of it within "
                + requestTimeout.toMillis() + " ms");
    }

    /** Spring's own words name Java types ("... for bodyType=DeploymentRequest"): these are the caller's. */
    @ExceptionHandler
    ResponseEntity<ApiError> wrongContentType(UnsupportedMediaTypeStatusException e) {
        return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "This request needs a JSON body: send it with Content-Type: "
                + "application/json");
    }

    @ExceptionHandler
    ResponseEntity<ApiError> status(ResponseStatusException e) {
        String reason = e.getReason();
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError(reason != null ? reason : "The request failed with " + e.getStatusCode()));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("A request failed unexpectedly.", e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "The gateway failed to handle this request; its log says why");
    }

    // Set the content type so the error is JSON even for a client that only accepts text/event-stream.
    private static ResponseEntity<ApiError> answer(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ApiError(message));
    }
}
