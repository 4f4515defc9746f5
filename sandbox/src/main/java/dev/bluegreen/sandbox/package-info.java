/**
 * A local stand-in for DigitalOcean that needs no account and no Docker: {@link dev.bluegreen.sandbox.Sandbox}
 * starts the simulated API, a load balancer that really proxies, droplets that are real SSH servers, and a git
 * repository of a sample app, and writes the apps file the services read.
 */
@NullMarked
package dev.bluegreen.sandbox;

import org.jspecify.annotations.NullMarked;
