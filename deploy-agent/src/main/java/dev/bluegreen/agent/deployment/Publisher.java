package dev.bluegreen.agent.deployment;

import java.util.concurrent.CompletableFuture;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;

/** Where the agent's events go: Kafka, or a list in a test. */
@FunctionalInterface
interface Publisher {

    /** The {@code source} of every envelope the agent publishes. */
    String SOURCE = "deploy-agent";

    /** Sends the envelope to its topic, keyed by its app; the future completes when the broker has it. */
    CompletableFuture<?> publish(Envelope envelope);

    /** Sends {@code event} in a new envelope of deployment {@code deploymentId}. */
    default CompletableFuture<?> publish(String deploymentId, PipelineEvent event) {
        return publish(Envelope.of(SOURCE, deploymentId, event));
    }
}
