package dev.bluegreen.events;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes envelopes as JSON. The {@code data} is read as the record its {@code type} names, so a
 * reader needs no Java class names on the wire. Unknown fields are ignored: a newer minor version still reads. A
 * key given twice in one object is refused: readers that keep the first and readers that keep the last would
 * disagree on what the event says (a ref that is {@code v2} to one and a shell command to the other).
 */
public final class EnvelopeCodec {

    private final JsonMapper mapper;

    public EnvelopeCodec() {
        this(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    }

    public EnvelopeCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] write(Envelope envelope) {
        return mapper.writeValueAsBytes(envelope);
    }

    public String writeString(Envelope envelope) {
        return new String(write(envelope), StandardCharsets.UTF_8);
    }

    /**
     * @throws MalformedEventException when the bytes are not an envelope of a known event type
     */
    public Envelope read(byte[] json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedEventException("Not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new MalformedEventException("An envelope must be a JSON object");
        }
        String typeName = text(node, "type");
        EventType type = EventType.fromWireName(typeName)
                .orElseThrow(() -> new MalformedEventException("Unknown event type '" + typeName + "'"));
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new MalformedEventException(typeName + " has no data object");
        }
        try {
            PipelineEvent event = mapper.treeToValue(data, type.eventClass());
            return new Envelope(text(node, "id"), typeName, node.path("version").asInt(1),
                    mapper.treeToValue(node.get("time"), java.time.Instant.class), text(node, "source"),
                    text(node, "subject"), text(node, "deploymentId"), event);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException(typeName + " does not read: " + e.getMessage(), e);
        }
    }

    public Envelope read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new MalformedEventException("The envelope has no '" + field + "'");
        }
        return value.asString();
    }
}
