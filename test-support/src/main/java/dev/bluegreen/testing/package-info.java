/**
 * Test fixtures shared by every bluegreen module: {@link dev.bluegreen.testing.KafkaFixture}, one Kafka broker for the
 * test JVM (and a cluster of three for tests that restart brokers), and {@link dev.bluegreen.testing.EventLog}, which
 * records the pipeline events a test waits for, and {@link dev.bluegreen.testing.FreePorts} for a test that must name a
 * port before something binds it.
 */
@NullMarked
package dev.bluegreen.testing;

import org.jspecify.annotations.NullMarked;
