/**
 * Droplets for the sandbox: each one a real SSH server on the loopback interface with a folder of its own, where
 * deploy steps run as they would on a DigitalOcean droplet and leave the app running in the background.
 */
@NullMarked
package dev.bluegreen.sandbox.droplet;

import org.jspecify.annotations.NullMarked;
