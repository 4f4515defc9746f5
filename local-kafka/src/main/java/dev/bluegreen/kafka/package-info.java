/**
 * KRaft Kafka started in-process from the Kafka jars: {@link dev.bluegreen.kafka.KraftBroker}, a single broker for
 * code and tests, {@link dev.bluegreen.kafka.KraftBrokerMain} to run one from the command line, and
 * {@link dev.bluegreen.kafka.KraftCluster}, several nodes for tests that stop and restart a broker.
 */
@NullMarked
package dev.bluegreen.kafka;

import org.jspecify.annotations.NullMarked;
