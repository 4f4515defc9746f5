/**
 * Which colour of each app takes the traffic, as learnt from the traffic-router's events, so that a deployment
 * always goes to the idle colour.
 */
@NullMarked
package dev.bluegreen.agent.traffic;

import org.jspecify.annotations.NullMarked;
