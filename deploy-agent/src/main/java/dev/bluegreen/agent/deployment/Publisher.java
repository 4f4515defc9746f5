package dev.bluegreen.agent.deployment;

import java.util.concurrent.CompletableFuture;

import dev.bluegreen.events.PipelineEvent;

/** Where the agent's events go: Kafka, or a list in a test. */
@FunctionalInterface
interface Publisher {

    /** Sends the event; the future completes when the broker has it. */
    CompletableFuture<?> publish(String deploymentId, PipelineEvent event);
}
