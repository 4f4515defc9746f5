package dev.bluegreen.lifecycle;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an app's state as JSON and reads it back: for state stores, their changelogs and the compacted app-states
 * topic. Unknown fields are ignored, so a newer writer's state still reads.
 */
public final class AppStateCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] write(AppState state) {
        return mapper.writeValueAsBytes(state);
    }

    public String writeString(AppState state) {
        return new String(write(state), StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not an app's state
     */
    public AppState read(byte[] json) {
        try {
            return mapper.readValue(json, AppState.class);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("Not an app's state: " + ex.getOriginalMessage(), ex);
        }
    }
}
