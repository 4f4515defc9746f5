/**
 * The data plane: a load balancer that really proxies HTTP to the droplets the simulator says it targets and its
 * health checker finds healthy, and a reserved IP that proxies to the droplet it is assigned to.
 */
@NullMarked
package dev.bluegreen.sandbox.loadbalancer;

import org.jspecify.annotations.NullMarked;
