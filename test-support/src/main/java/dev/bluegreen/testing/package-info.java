/**
 * Test fixtures shared by every bluegreen module: {@link dev.bluegreen.testing.KafkaFixture}, one Kafka broker for the
 * test JVM (and a cluster of three for tests that restart brokers), and {@link dev.bluegreen.testing.EventLog}, which
 * records the pipeline events a test waits for.
 */
@NullMarked
package dev.bluegreen.testing;

import org.jspecify.annotations.NullMarked;
