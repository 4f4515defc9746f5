package dev.bluegreen.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** One of the two identical sets of droplets of an app. On the wire: {@code "blue"} or {@code "green"}. */
public enum Colour {
    BLUE, GREEN;

    /** The colour that is not this one. */
    public Colour other() {
        return this == BLUE ? GREEN : BLUE;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static Colour fromWireName(String name) {
        for (Colour colour : values()) {
            if (colour.wireName().equalsIgnoreCase(name)) {
                return colour;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a colour; expected blue or green");
    }

    @Override
    public String toString() {
        return wireName();
    }
}
