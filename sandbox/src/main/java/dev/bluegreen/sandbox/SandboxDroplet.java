package dev.bluegreen.sandbox;

import java.net.URI;
import java.util.Optional;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.droplet.SshDroplet;

/**
 * One of the sandbox's droplets: an SSH server the sandbox runs, or an {@link ExternalDroplet} someone else runs.
 *
 * @param id its id in the simulated DigitalOcean, as the load balancer knows it
 * @param name its name there, such as {@code sample-app-blue-1}
 * @param colour the set it belongs to
 * @param sshAddress {@code HOST:PORT}, where the deploy-agent logs in
 * @param httpUrl where its app answers directly, bypassing the load balancer
 * @param knownHostsLine its host key, as a line of known_hosts
 * @param inProcess the SSH server that is the droplet; empty for an external droplet
 */
public record SandboxDroplet(long id, String name, Colour colour, String sshAddress, URI httpUrl,
        String knownHostsLine, Optional<SshDroplet> inProcess) {

    /** A droplet that is an SSH server of the sandbox's own. */
    public SandboxDroplet(long id, String name, Colour colour, SshDroplet server) {
        this(id, name, colour, server.sshAddress(), server.httpUrl(), server.knownHostsLine(), Optional.of(server));
    }

    static SandboxDroplet external(long id, Colour colour, ExternalDroplet droplet) {
        return new SandboxDroplet(id, droplet.name(), colour, droplet.sshAddress(), droplet.httpUrl(),
                droplet.knownHostsLine(), Optional.empty());
    }

    /**
     * The SSH server that is the droplet.
     *
     * @throws IllegalStateException for an external droplet, which the sandbox does not run
     */
    public SshDroplet server() {
        return inProcess.orElseThrow(() -> new IllegalStateException("Droplet " + name + " is an external droplet: "
                + "the sandbox runs no SSH server for it."));
    }
}
