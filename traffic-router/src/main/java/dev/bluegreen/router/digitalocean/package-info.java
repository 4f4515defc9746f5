/** The DigitalOcean API calls the traffic-router makes: one method per remote call, never a PUT of the balancer. */
@NullMarked
package dev.bluegreen.router.digitalocean;

import org.jspecify.annotations.NullMarked;
