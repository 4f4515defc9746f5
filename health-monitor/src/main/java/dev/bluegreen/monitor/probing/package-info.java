/**
 * Probing the droplets of a freshly provisioned colour directly, bypassing the load balancer, until each has passed
 * its health check enough times in a row or the deadline has passed.
 */
@NullMarked
package dev.bluegreen.monitor.probing;

import org.jspecify.annotations.NullMarked;
