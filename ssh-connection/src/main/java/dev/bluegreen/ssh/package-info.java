/**
 * Running commands on droplets over SSH with sshj, directly or through a bastion: host keys always checked against a
 * pinned fingerprint or the known_hosts file, one connection a droplet, keep-alive while a step is quiet, output
 * handed to a listener as it arrives and kept as a bounded tail, and every command in a process group of its own that
 * ends when its channel closes (a timeout, a cancel, a dropped connection).
 */
@NullMarked
package dev.bluegreen.ssh;

import org.jspecify.annotations.NullMarked;
