package dev.bluegreen.events;

import java.util.List;

/**
 * The deploy-agent ran every deploy step on every droplet of the idle colour, and they all passed.
 *
 * @param commit the commit now checked out on the droplets
 * @param dropletIds the DigitalOcean ids of the droplets that were provisioned
 */
public record EnvironmentProvisioned(String app, Colour colour, String ref, String commit, List<Long> dropletIds,
        long durationMs) implements PipelineEvent {

    public EnvironmentProvisioned {
        dropletIds = List.copyOf(dropletIds);
    }
}
