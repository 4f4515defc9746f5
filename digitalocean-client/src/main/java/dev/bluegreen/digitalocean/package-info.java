/**
 * The DigitalOcean API calls bluegreen makes: one method per remote call, never a PUT of the balancer. The
 * traffic-router moves traffic with them; the preflight reads with them what the router would change.
 */
@NullMarked
package dev.bluegreen.digitalocean;

import org.jspecify.annotations.NullMarked;
