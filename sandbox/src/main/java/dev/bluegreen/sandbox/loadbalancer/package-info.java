/**
 * A load balancer that really proxies HTTP to the droplets the simulator says are attached to it.
 */
@NullMarked
package dev.bluegreen.sandbox.loadbalancer;

import org.jspecify.annotations.NullMarked;
