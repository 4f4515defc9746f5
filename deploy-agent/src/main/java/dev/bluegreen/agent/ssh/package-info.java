/**
 * Running commands on droplets over SSH with sshj, directly or through a bastion: host keys always checked against a
 * pinned fingerprint or the known_hosts file, one connection a droplet, keep-alive while a step is quiet, output
 * handed to a listener as it arrives and kept as a bounded tail.
 */
@NullMarked
package dev.bluegreen.agent.ssh;

import org.jspecify.annotations.NullMarked;
