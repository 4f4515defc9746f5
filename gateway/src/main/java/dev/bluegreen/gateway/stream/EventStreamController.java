package dev.bluegreen.gateway.stream;

import java.time.Duration;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.events.EventType;

/**
 * {@code GET /api/events}: the pipeline's events as server-sent events, as they arrive. Each SSE's id is the
 * envelope's id, its event name the envelope's type and its data the envelope exactly as on the wire. Optional
 * filters: {@code app} and {@code type}. A comment opens the stream and another follows every heartbeat interval.
 */
@RestController
class EventStreamController {

    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);

    private final PipelineEventFeed feed;
    private final AppCatalog catalog;
    private final StreamProperties settings;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    EventStreamController(PipelineEventFeed feed, AppCatalog catalog, StreamProperties settings) {
        this.feed = feed;
        this.catalog = catalog;
        this.settings = settings;
    }

    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Flux<ServerSentEvent<String>>> events(@RequestParam(required = false) @Nullable String app,
            @RequestParam(required = false) @Nullable String type) {
        Predicate<Envelope> wanted = forApp(app).and(ofType(type));
        Flux<ServerSentEvent<String>> events = feed.events()
                .filter(wanted)
                .onBackpressureBuffer(settings.clientBuffer(), EventStreamController::missed,
                        BufferOverflowStrategy.DROP_OLDEST)
                .map(this::toServerSentEvent);
        // The events are subscribed first, so a client that sees the opening comment sees every later event.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(Flux.merge(events, heartbeats(settings.heartbeatInterval())));
    }

    private Predicate<Envelope> forApp(@Nullable String app) {
        if (app == null || app.isEmpty()) {
            return envelope -> true;
        }
        catalog.require(app);
        return envelope -> envelope.subject().equals(app);
    }

    private static Predicate<Envelope> ofType(@Nullable String type) {
        if (type == null || type.isEmpty()) {
            return envelope -> true;
        }
        EventType eventType = EventType.fromWireName(type).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.BAD_REQUEST, "No event type is named '" + type + "'; use a name such as DeployRequested"));
        return envelope -> envelope.type().equals(eventType.wireName());
    }

    private ServerSentEvent<String> toServerSentEvent(Envelope envelope) {
        return ServerSentEvent.builder(codec.writeString(envelope))
                .id(envelope.id())
                .event(envelope.type())
                .build();
    }

    private static Flux<ServerSentEvent<String>> heartbeats(Duration interval) {
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment(tick == 0 ? "connected" : "heartbeat").build());
    }

    private static void missed(Envelope envelope) {
        log.warn("A slow subscriber to the event stream missed {} of {} (deployment {}).", envelope.type(),
                envelope.subject(), envelope.deploymentId());
    }
}
