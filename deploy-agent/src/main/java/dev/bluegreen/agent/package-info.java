/**
 * The deploy-agent: provisions the idle colour of an app over SSH when a deploy is requested, and reports the outcome
 * as an event.
 */
@NullMarked
package dev.bluegreen.agent;

import org.jspecify.annotations.NullMarked;
