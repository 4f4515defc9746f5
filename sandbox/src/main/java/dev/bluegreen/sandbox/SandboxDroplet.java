package dev.bluegreen.sandbox;

import java.net.URI;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.droplet.SshDroplet;

/**
 * One of the sandbox's droplets.
 *
 * @param id its id in the simulated DigitalOcean, as the load balancer knows it
 * @param name its name there, such as {@code sample-app-blue-1}
 * @param colour the set it belongs to
 * @param server the SSH server that is the droplet
 */
public record SandboxDroplet(long id, String name, Colour colour, SshDroplet server) {

    /** {@code 127.0.0.1:PORT}, where the deploy-agent logs in. */
    public String sshAddress() {
        return server.sshAddress();
    }

    /** Where its app answers directly, bypassing the load balancer. */
    public URI httpUrl() {
        return server.httpUrl();
    }
}
