/**
 * Probing the droplets of a freshly provisioned colour directly, bypassing the load balancer, until each has passed
 * its health check enough times in a row or the deadline has passed; then its smoke checks, once each. The probe
 * itself ({@link dev.bluegreen.probe.HealthProbe}, in the health-probe library) also serves the bake watch.
 */
@NullMarked
package dev.bluegreen.monitor.probing;

import org.jspecify.annotations.NullMarked;
