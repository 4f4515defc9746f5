/**
 * A stand-in for DigitalOcean's API v2, in memory: droplets, load balancers, tags, reserved IPs, actions and the
 * balancers' per-droplet health, served over HTTP with the shapes, status codes, rate limits and refusals of the
 * real API, and failures injected on demand, so clients can be tested without an account.
 */
@NullMarked
package dev.bluegreen.sandbox.digitalocean;

import org.jspecify.annotations.NullMarked;
