/**
 * What happened in the sandbox, recorded for a test to judge: every command SSH clients ran on each droplet, what
 * each load balancer and reserved IP targeted over time, each target's health as the balancer's own checker saw it,
 * and every request the proxies relayed. {@link dev.bluegreen.sandbox.history.SandboxHistory} records it and answers
 * the questions a chaos test asks, such as which commands ran on a droplet while it took traffic.
 */
@NullMarked
package dev.bluegreen.sandbox.history;

import org.jspecify.annotations.NullMarked;
