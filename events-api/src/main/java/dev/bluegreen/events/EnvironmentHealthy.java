package dev.bluegreen.events;

import java.util.List;

/** Every droplet of the newly provisioned colour passed its health check: traffic may move to it. */
public record EnvironmentHealthy(String app, Colour colour, String ref, String commit, List<DropletHealth> droplets,
        long durationMs) implements PipelineEvent {

    public EnvironmentHealthy {
        droplets = List.copyOf(droplets);
    }
}
