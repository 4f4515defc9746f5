/**
 * Droplets for tests: each a Linux network namespace with an address of its own, running real OpenSSH, nginx and
 * gunicorn with a Flask sample app, set up from the bootstrap kit (bootstrap/cloud-init.yaml). Needs root and Linux;
 * {@link dev.bluegreen.dropletlab.DropletPrerequisites} skips a test where they are missing.
 */
@NullMarked
package dev.bluegreen.dropletlab;

import org.jspecify.annotations.NullMarked;
