package dev.bluegreen.gateway.stream;

import java.time.Duration;
import java.util.Optional;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;

/**
 * {@code GET /api/events}: the pipeline's events as server-sent events, as they arrive. Each SSE's id is the
 * envelope's id, its event name the envelope's type and its data the envelope exactly as on the wire. Optional
 * filters: {@code app} and {@code type}. A comment opens the stream and another follows every heartbeat interval.
 * A client that reconnects with {@code Last-Event-ID} first gets the held events it missed. A subscriber that falls
 * more than {@code client-buffer} events behind is dropped: its stream ends with a comment saying so, rather than
 * being held in memory without bound or silently losing events; it can reconnect and resume.
 */
@RestController
class EventStreamController {

    static final String DROPPED = "dropped: this subscriber fell too far behind; reconnect with Last-Event-ID to "
            + "resume";

    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);

    private final PipelineEventFeed feed;
    private final AppCatalog catalog;
    private final StreamProperties settings;

    EventStreamController(PipelineEventFeed feed, AppCatalog catalog, StreamProperties settings) {
        this.feed = feed;
        this.catalog = catalog;
        this.settings = settings;
    }

    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Flux<ServerSentEvent<String>>> events(@RequestParam(required = false) @Nullable String app,
            @RequestParam(required = false) @Nullable String type,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        Predicate<Envelope> wanted = forApp(app).and(ofType(type));
        Optional<Flux<PipelineEventFeed.FeedEvent>> resumed = lastEventId == null || lastEventId.isBlank() ? Optional.empty()
                : feed.eventsAfter(lastEventId.strip());
        String opening = lastEventId == null || lastEventId.isBlank() || resumed.isPresent() ? "connected"
                : "connected: the events after the Last-Event-ID are no longer held; this stream starts now";
        Flux<ServerSentEvent<String>> events = resumed.orElseGet(feed::events)
                .filter(event -> wanted.test(event.envelope()))
                .onBackpressureBuffer(settings.clientBuffer(), EventStreamController::dropped,
                        BufferOverflowStrategy.ERROR)
                .map(EventStreamController::toServerSentEvent);
        // The events are subscribed first, so a client that sees the opening comment sees every later event.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(Flux.merge(events, heartbeats(settings.heartbeatInterval(), opening))
                        .onErrorResume(Exceptions::isOverflow, overflow -> Flux.just(ServerSentEvent.<String>builder()
                                .comment(DROPPED).build())));
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

    private static ServerSentEvent<String> toServerSentEvent(PipelineEventFeed.FeedEvent event) {
        return ServerSentEvent.builder(event.json())
                .id(event.envelope().id())
                .event(event.envelope().type())
                .build();
    }

    private static Flux<ServerSentEvent<String>> heartbeats(Duration interval, String opening) {
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.<String>builder().comment(tick == 0 ? opening : "heartbeat").build());
    }

    private static void dropped(PipelineEventFeed.FeedEvent event) {
        Envelope envelope = event.envelope();
        log.warn("A subscriber to the event stream fell too far behind and was dropped at {} of {} (deployment {}).",
                envelope.type(), envelope.subject(), envelope.deploymentId());
    }
}
