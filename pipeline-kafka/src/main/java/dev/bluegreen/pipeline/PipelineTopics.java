package dev.bluegreen.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import dev.bluegreen.events.Topics;

/** The topics a service creates on start when they are missing: every pipeline topic and its dead-letter topic. */
final class PipelineTopics {

    /** The suffix of a topic's dead-letter topic, as in {@code bluegreen.traffic.DLT}. */
    static final String DEAD_LETTER_SUFFIX = ".DLT";

    private PipelineTopics() {
    }

    static List<NewTopic> declarations(PipelineKafkaProperties.Topics settings) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            topics.add(declaration(topic, settings.settingsFor(topic)));
            topics.add(declaration(topic + DEAD_LETTER_SUFFIX, settings.settingsFor(topic + DEAD_LETTER_SUFFIX)));
        }
        return topics;
    }

    private static NewTopic declaration(String name, PipelineKafkaProperties.TopicSettings settings) {
        NewTopic topic = new NewTopic(name, Optional.ofNullable(settings.partitions()),
                Optional.ofNullable(settings.replication()));
        if (settings.retention() != null) {
            topic.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(settings.retention().toMillis())));
        }
        return topic;
    }
}
