package dev.bluegreen.agent.deployment;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;

/** Keeps what the agent would publish, for tests without Kafka. */
final class TestLogs implements Publisher {

    final Queue<PipelineEvent> published = new ConcurrentLinkedQueue<>();

    @Override
    public CompletableFuture<?> publish(Envelope envelope) {
        published.add(envelope.data());
        return CompletableFuture.completedFuture(null);
    }

    LogStreams streams(String... secrets) {
        return new LogStreams(SecretMasker.of(List.of(secrets)));
    }

    /** A deployment whose events are kept here, and whose start is recorded at once. */
    DeploymentRun run(String deploymentId) {
        return new DeploymentRun() {

            @Override
            public String deploymentId() {
                return deploymentId;
            }

            @Override
            public void publish(PipelineEvent event) {
                TestLogs.this.publish(deploymentId, event);
            }

            @Override
            public @Nullable String recordStart(DeploymentStarted started) {
                publish(started);
                return null;
            }
        };
    }

    <T extends PipelineEvent> List<T> of(Class<T> type) {
        return published.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
