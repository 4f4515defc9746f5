/**
 * The deploy-agent: for the apps whose lifecycle this instance owns, provisions over SSH the colour a deploy request
 * the lifecycle accepted targets, and reports the outcome as an event.
 */
@NullMarked
package dev.bluegreen.agent;

import org.jspecify.annotations.NullMarked;
