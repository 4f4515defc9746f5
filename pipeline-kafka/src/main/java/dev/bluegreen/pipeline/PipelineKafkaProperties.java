package dev.bluegreen.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The pipeline's Kafka settings, under {@code bluegreen.kafka}. Connection and security settings are Spring Boot's
 * own {@code spring.kafka.*}.
 *
 * @param topics how the pipeline topics are created when they are missing
 * @param deadLetters how often a failing record is retried before it goes to its dead-letter topic
 */
@ConfigurationProperties("bluegreen.kafka")
public record PipelineKafkaProperties(@DefaultValue Topics topics, @DefaultValue DeadLetters deadLetters) {

    /**
     * @param partitions partitions of a topic created on start; none: the broker's {@code num.partitions}
     * @param replication replicas of a topic created on start; none: the broker's {@code default.replication.factor}
     * @param overrides per topic, by its name with or without the {@code bluegreen.} prefix ({@code traffic})
     */
    public record Topics(@Nullable Integer partitions, @Nullable Short replication,
            @DefaultValue Map<String, TopicSettings> overrides) {

        public Topics {
            requirePositive("bluegreen.kafka.topics.partitions", partitions);
            requirePositive("bluegreen.kafka.topics.replication", replication);
            overrides.forEach((name, settings) -> {
                String key = "bluegreen.kafka.topics.overrides." + name;
                requirePositive(key + ".partitions", settings.partitions());
                requirePositive(key + ".replication", settings.replication());
                if (settings.retention() != null && settings.retention().toMillis() <= 0) {
                    throw new IllegalArgumentException(key + ".retention must be positive, not " + settings.retention());
                }
            });
        }

        /** The settings for {@code topic}: its override where there is one, else the defaults above. */
        TopicSettings settingsFor(String topic) {
            TopicSettings override = Optional.ofNullable(overrides.get(topic))
                    .orElseGet(() -> overrides.get(topic.replaceFirst("^bluegreen\\.", "")));
            if (override == null) {
                return new TopicSettings(partitions, replication, null);
            }
            return new TopicSettings(override.partitions() != null ? override.partitions() : partitions,
                    override.replication() != null ? override.replication() : replication, override.retention());
        }

        private static void requirePositive(String key, @Nullable Number value) {
            if (value != null && value.intValue() < 1) {
                throw new IllegalArgumentException(key + " must be at least 1, not " + value);
            }
        }
    }

    /**
     * @param partitions none: the default above
     * @param replication none: the default above
     * @param retention the topic's {@code retention.ms}; none: the broker's {@code log.retention.*}
     */
    public record TopicSettings(@Nullable Integer partitions, @Nullable Short replication,
            @Nullable Duration retention) {
    }

    /**
     * @param attempts how often a listener is called for one record in all before the record is dead-lettered
     * @param backoff the wait between two attempts
     */
    public record DeadLetters(@DefaultValue("3") int attempts, @DefaultValue("500ms") Duration backoff) {

        public DeadLetters {
            if (attempts < 1) {
                throw new IllegalArgumentException("bluegreen.kafka.dead-letters.attempts must be at least 1, not "
                        + attempts);
            }
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("bluegreen.kafka.dead-letters.backoff must not be negative");
            }
        }
    }
}
