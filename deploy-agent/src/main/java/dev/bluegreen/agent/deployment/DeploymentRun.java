package dev.bluegreen.agent.deployment;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.PipelineEvent;

/** One deployment as the code that provisions it sees it: its id, and where its events go. */
interface DeploymentRun {

    String deploymentId();

    /** Sends one of the deployment's events; sends nothing once the deployment was stopped on this instance. */
    void publish(PipelineEvent event);

    /**
     * Records that the deployment starts running steps, before the first one runs. Returns why it could not, or null
     * when the steps may run.
     *
     * @throws InterruptedException when the deployment was stopped meanwhile: it runs no step
     */
    @Nullable String recordStart(DeploymentStarted started) throws InterruptedException;
}
