/**
 * Every service's view of the apps' lifecycles: a Kafka Streams application per service folds the lifecycle topic
 * with the shared state machine into a state store per app (its changelog is what survives the topic's retention),
 * splits the apps among the service's instances by partition, and tells the service's {@link
 * dev.bluegreen.pipeline.lifecycle.LifecycleReactor} what changed for the apps it owns.
 */
@NullMarked
package dev.bluegreen.pipeline.lifecycle;

import org.jspecify.annotations.NullMarked;
