/**
 * Running commands on droplets over SSH with sshj: host keys always checked against the known_hosts file, one
 * connection a droplet, output kept as a bounded tail.
 */
@NullMarked
package dev.bluegreen.agent.ssh;

import org.jspecify.annotations.NullMarked;
