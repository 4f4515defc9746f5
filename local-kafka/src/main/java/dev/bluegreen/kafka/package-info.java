/**
 * A single-node KRaft Kafka broker started in-process from the Kafka jars: {@link dev.bluegreen.kafka.KraftBroker}
 * for code and tests, {@link dev.bluegreen.kafka.KraftBrokerMain} to run one from the command line.
 */
@NullMarked
package dev.bluegreen.kafka;

import org.jspecify.annotations.NullMarked;
