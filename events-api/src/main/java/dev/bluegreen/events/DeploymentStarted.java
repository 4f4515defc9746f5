package dev.bluegreen.events;

import java.util.List;

/**
 * The deploy-agent took a deploy request on and starts running the steps on the idle colour. Every deployment that
 * started ends in EnvironmentProvisioned or ProvisioningFailed, also after a crash of the agent.
 *
 * @param dropletIds the droplets of the idle colour it provisions
 */
public record DeploymentStarted(String app, Colour colour, String ref, List<Long> dropletIds)
        implements PipelineEvent {

    public DeploymentStarted {
        dropletIds = List.copyOf(dropletIds);
    }
}
