/**
 * Probing a droplet's health directly, bypassing the load balancer: one GET of a path, its answer judged against the
 * expected status and body text, and the outcome in words a person reads ("503 in 4 ms (database unreachable)").
 */
@NullMarked
package dev.bluegreen.probe;

import org.jspecify.annotations.NullMarked;
