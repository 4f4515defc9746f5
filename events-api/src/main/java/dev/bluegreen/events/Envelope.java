package dev.bluegreen.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope every pipeline event travels in. Its fields line up with CloudEvents
 * ({@code id}, {@code type}, {@code source}, {@code subject}, {@code time}), so other tools can read it.
 *
 * @param id unique per event; a redelivered record keeps its id
 * @param type the event's stable wire name, see {@link EventType}
 * @param version the version of {@code data}'s shape for this type
 * @param source the service that published it, such as {@code deploy-agent}
 * @param subject the app the event is about; also the Kafka key
 * @param deploymentId the deployment (or rollback) this event belongs to; all events of one deployment share it
 */
public record Envelope(String id, String type, int version, Instant time, String source, String subject,
        String deploymentId, PipelineEvent data) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(data, "data");
    }

    /** A new envelope around {@code event}, with a fresh id and the current time. */
    public static Envelope of(String source, String deploymentId, PipelineEvent event) {
        return of(source, deploymentId, event, Instant.now());
    }

    public static Envelope of(String source, String deploymentId, PipelineEvent event, Instant time) {
        EventType type = EventType.of(event);
        return new Envelope(UUID.randomUUID().toString(), type.wireName(), type.version(), time, source, event.app(),
                deploymentId, event);
    }

    /** The topic this envelope belongs on. */
    public String topic() {
        return eventType().topic();
    }

    public EventType eventType() {
        return EventType.fromWireName(type)
                .orElseThrow(() -> new IllegalStateException("Unknown event type " + type));
    }

    /** The data as the given event class, for a consumer that already checked the type. */
    public <T extends PipelineEvent> T dataAs(Class<T> eventClass) {
        return eventClass.cast(data);
    }
}
