package dev.bluegreen.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a deployment or rollback that is under way stands, and so whose turn it is. On the wire in kebab case,
 * such as {@code "awaiting-approval"}.
 */
public enum Phase {
    /** The deploy-agent runs the deploy steps on the idle colour. */
    PROVISIONING,
    /** The health-monitor probes the freshly provisioned colour. */
    CHECKING,
    /** The colour is healthy and its switch waits for a person's or CI's PromoteRequested. */
    AWAITING_APPROVAL,
    /** The traffic-router moves traffic (a switch or a rollback) and lets the old colour drain. */
    SWITCHING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Phase fromWireName(String name) {
        for (Phase phase : values()) {
            if (phase.wireName().equalsIgnoreCase(name) || phase.name().equalsIgnoreCase(name)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a phase");
    }

    @Override
    public String toString() {
        return wireName();
    }
}
