package dev.bluegreen.ssh.archfixture;

import org.apache.kafka.clients.producer.Producer;

/** Breaks the rule on purpose: a library that talks to Kafka. */
public class PublishesToKafka {

    Producer<String, String> producer;
}
