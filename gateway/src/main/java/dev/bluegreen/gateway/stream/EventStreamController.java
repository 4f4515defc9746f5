package dev.bluegreen.gateway.stream;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;
import dev.bluegreen.gateway.access.ApiTokens;
import dev.bluegreen.gateway.access.Reader;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.gateway.status.HistoryNotReadException;

/**
 * {@code GET /api/events}: the pipeline's events as server-sent events, as they arrive. Each SSE's id is the
 * envelope's id, its event name the envelope's type and its data the envelope exactly as on the wire. Optional
 * filters: {@code app} and {@code type}. A comment opens the stream and another follows every heartbeat interval.
 * A client that reconnects with {@code Last-Event-ID} first gets the held events it missed, also from a gateway that
 * just started (it waits until the gateway has read the history again, at most {@code resume-wait}). A subscriber that falls
 * more than {@code client-buffer} events behind is dropped: its stream ends with a comment saying so, rather than
 * being held in memory without bound or silently losing events; it can reconnect and resume.
 * <p>
 * A reader needs a token, and sees the apps it is for, unless reads are public ({@link ApiTokens#reader}): then an
 * anonymous reader sees every app without step output (no DeploymentLog, no outputTail, no probe body). The streams
 * open at once are capped in all and per token ({@link Subscribers}).
 */
@RestController
class EventStreamController {

    static final String DROPPED = "dropped: this subscriber fell too far behind; reconnect with Last-Event-ID to "
            + "resume";

    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);

    private final PipelineEventFeed feed;
    private final AppCatalog catalog;
    private final StreamProperties settings;
    private final ApiTokens tokens;
    private final Subscribers subscribers;
    private final DeploymentProjection projection;

    EventStreamController(PipelineEventFeed feed, AppCatalog catalog, StreamProperties settings, ApiTokens tokens,
            Subscribers subscribers, DeploymentProjection projection) {
        this.projection = projection;
        this.feed = feed;
        this.catalog = catalog;
        this.settings = settings;
        this.tokens = tokens;
        this.subscribers = subscribers;
    }

    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<Flux<ServerSentEvent<String>>> events(@RequestParam(required = false) @Nullable String app,
            @RequestParam(required = false) @Nullable String type,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
            ServerHttpRequest request) {
        Reader reader = tokens.reader(authorization);
        Predicate<Envelope> wanted = forApp(app, reader).and(ofType(type));
        Subscribers.Place place = subscribers.admit(holder(reader, request), reader.token()
                .map(token -> "The token '" + token + "'").orElse("This address"));
        String resumeAfter = lastEventId == null || lastEventId.isBlank() ? null : lastEventId.strip();
        // A gateway that just started holds no event until it has read the history again: a client that resumes
        // then (a dashboard that lost this gateway when it stopped) waits for it, rather than being told that the
        // events it missed are no longer held while they are about to be.
        Mono<Void> ready = resumeAfter == null || projection.isHistoryRead() ? Mono.empty()
                : projection.whenHistoryRead(settings.resumeWait()).onErrorResume(HistoryNotReadException.class,
                        notYet -> Mono.empty());
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(ready.thenMany(Flux.defer(() -> stream(reader, wanted, resumeAfter)))
                        .doFinally(signal -> place.leave()));
    }

    private Flux<ServerSentEvent<String>> stream(Reader reader, Predicate<Envelope> wanted,
            @Nullable String resumeAfter) {
        Optional<Flux<PipelineEventFeed.FeedEvent>> resumed = resumeAfter == null ? Optional.empty()
                : feed.eventsAfter(resumeAfter);
        String opening = resumeAfter == null || resumed.isPresent() ? "connected"
                : "connected: the events after the Last-Event-ID are no longer held; this stream starts now";
        Flux<ServerSentEvent<String>> events = resumed.orElseGet(feed::events)
                .filter(event -> wanted.test(event.envelope()) && shown(event, reader).isPresent())
                .onBackpressureBuffer(settings.clientBuffer(), EventStreamController::dropped,
                        BufferOverflowStrategy.ERROR)
                .map(event -> toServerSentEvent(event.envelope(), shown(event, reader).orElseThrow()));
        // The events are subscribed first, so a client that sees the opening comment sees every later event.
        return Flux.merge(events, heartbeats(settings.heartbeatInterval(), opening))
                .onErrorResume(Exceptions::isOverflow, overflow -> Flux.just(ServerSentEvent.<String>builder()
                        .comment(DROPPED).build()));
    }

    private Predicate<Envelope> forApp(@Nullable String app, Reader reader) {
        if (app == null || app.isEmpty()) {
            return envelope -> reader.mayRead(envelope.subject());
        }
        catalog.require(app);
        reader.requireRead(app);
        return envelope -> envelope.subject().equals(app);
    }

    /** Anonymous readers of a public gateway are told apart by address, so one of them cannot take every stream. */
    private static String holder(Reader reader, ServerHttpRequest request) {
        return reader.token().map(token -> "token " + token).orElseGet(() -> "address "
                + (request.getRemoteAddress() == null ? "unknown" : request.getRemoteAddress().getAddress()
                        .getHostAddress()));
    }

    /** The event's JSON as this reader may see it; empty when it is step output the reader may not see. */
    private static Optional<String> shown(PipelineEventFeed.FeedEvent event, Reader reader) {
        return reader.seesOutput(event.envelope().subject()) ? Optional.of(event.json()) : event.jsonWithoutOutput();
    }

    private static ServerSentEvent<String> toServerSentEvent(Envelope envelope, String json) {
        return ServerSentEvent.builder(json).id(envelope.id()).event(envelope.type()).build();
    }

    private static Predicate<Envelope> ofType(@Nullable String type) {
        if (type == null || type.isEmpty()) {
            return envelope -> true;
        }
        EventType eventType = EventType.fromWireName(type).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.BAD_REQUEST, "No event type is named '" + type + "'; use a name such as DeployRequested"));
        return envelope -> envelope.type().equals(eventType.wireName());
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
