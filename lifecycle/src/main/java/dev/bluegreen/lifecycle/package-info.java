/**
 * An app's lifecycle as one pure state machine: {@code next = state.apply(event)}. Every service folds the same
 * ordered history of an app (the lifecycle topic, keyed by app) with this one function, so every service agrees on
 * the app's state at every offset, and on the decision taken on every request. No Spring, no Kafka, no clock: time
 * comes from the events themselves.
 */
@NullMarked
package dev.bluegreen.lifecycle;

import org.jspecify.annotations.NullMarked;
