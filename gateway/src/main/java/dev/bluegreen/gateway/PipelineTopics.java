package dev.bluegreen.gateway;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import dev.bluegreen.events.Topics;

/**
 * Creates the pipeline topics that do not exist yet, with the broker's default partitions and replicas, before the
 * event stream subscribes: a stream that starts at the latest offset would otherwise miss the first events.
 */
@Configuration(proxyBeanMethods = false)
class PipelineTopics {

    @Bean
    KafkaAdmin.NewTopics pipelineTopicDeclarations() {
        return new KafkaAdmin.NewTopics(Topics.ALL.stream().map(topic -> TopicBuilder.name(topic).build())
                .toArray(NewTopic[]::new));
    }
}
