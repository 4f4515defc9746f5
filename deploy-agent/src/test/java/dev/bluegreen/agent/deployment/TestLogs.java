package dev.bluegreen.agent.deployment;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.bluegreen.events.PipelineEvent;

/** Keeps what the agent would publish, for tests without Kafka. */
final class TestLogs implements Publisher {

    final Queue<PipelineEvent> published = new ConcurrentLinkedQueue<>();

    @Override
    public CompletableFuture<?> publish(String deploymentId, PipelineEvent event) {
        published.add(event);
        return CompletableFuture.completedFuture(null);
    }

    LogStreams streams(String... secrets) {
        return new LogStreams(this, SecretMasker.of(List.of(secrets)));
    }

    <T extends PipelineEvent> List<T> of(Class<T> type) {
        return published.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
