/**
 * What every bluegreen service does the same with Kafka: it creates the pipeline topics and their dead-letter topics,
 * sends what its listeners cannot handle to a dead-letter topic, counts the pipeline's outcomes for Prometheus and puts
 * the deployment id into every log line written while it handles a record.
 */
@NullMarked
package dev.bluegreen.pipeline;

import org.jspecify.annotations.NullMarked;
