package dev.bluegreen.pipeline.lifecycle;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service follows the apps' lifecycles, under {@code bluegreen.lifecycle}.
 *
 * @param applicationId the Kafka Streams application id: the consumer group its instances share, and the prefix of
 *     its state store's changelog topic; default the service's {@code spring.application.name}
 * @param sessionTimeout how long after an instance stops answering (a {@code kill -9}, a lost network) another
 *     instance takes its apps over
 * @param expiryGrace how long after a deadline of another service's phase this service expires it, in case no
 *     instance of that service runs
 * @param tick how often owned apps are checked for deadlines and watches
 * @param publishStates whether this service writes each app's state to the compacted app-states topic (the gateway
 *     does)
 * @param stateDirectory where Kafka Streams keeps its lock files; default a fresh temporary folder per instance, so
 *     that several instances can run on one machine (the state itself lives in memory and in the changelog topic)
 * @param replication replicas of the changelog topic; none: the broker's default
 */
@ConfigurationProperties("bluegreen.lifecycle")
public record LifecycleProperties(@Nullable String applicationId, @DefaultValue("10s") Duration sessionTimeout,
        @DefaultValue("30s") Duration expiryGrace, @DefaultValue("1s") Duration tick,
        @DefaultValue("false") boolean publishStates, @Nullable Path stateDirectory, @Nullable Short replication) {

    public LifecycleProperties {
        if (sessionTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("bluegreen.lifecycle.session-timeout must be at least 1s, not "
                    + sessionTimeout);
        }
        if (expiryGrace.isNegative()) {
            throw new IllegalArgumentException("bluegreen.lifecycle.expiry-grace must not be negative");
        }
        if (tick.toMillis() < 10) {
            throw new IllegalArgumentException("bluegreen.lifecycle.tick must be at least 10ms, not " + tick);
        }
    }
}
