package dev.bluegreen.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import dev.bluegreen.events.Topics;

/** The topics a service creates on start when they are missing: every pipeline topic and its dead-letter topic. */
final class PipelineTopics {

    /** The suffix of a topic's dead-letter topic, as in {@code bluegreen.lifecycle.DLT}. */
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

    /**
     * The lifecycle topic's partitions unless set: the most instances of one service that share its apps. Every app
     * stays in one partition, so more partitions than instances costs little.
     */
    static final int LIFECYCLE_PARTITIONS = 12;

    private static NewTopic declaration(String name, PipelineKafkaProperties.TopicSettings settings) {
        Integer partitions = settings.partitions();
        if (partitions == null && name.startsWith(Topics.LIFECYCLE)) {
            partitions = LIFECYCLE_PARTITIONS;
        }
        NewTopic topic = new NewTopic(name, Optional.ofNullable(partitions),
                Optional.ofNullable(settings.replication()));
        Map<String, String> configs = new HashMap<>();
        if (settings.retention() != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis()));
        }
        if (Topics.APP_STATES.equals(name)) {
            // the latest state of each app, however old: what outlives the lifecycle topic's retention
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        topic.configs(configs);
        return topic;
    }
}
