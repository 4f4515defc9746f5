package dev.bluegreen.sandbox;

import java.net.URI;
import java.util.Objects;

/**
 * A droplet the sandbox does not run itself, such as a network namespace with real OpenSSH, nginx and gunicorn: the
 * simulated DigitalOcean lists it, its balancer sends requests to {@code httpUrl} and health-checks it there, and the
 * apps file points the deploy-agent at {@code sshAddress}.
 *
 * @param name its name in the simulated DigitalOcean, such as {@code sample-blue-1}
 * @param sshAddress {@code HOST:PORT}, where the deploy-agent logs in
 * @param httpUrl where its web server answers, such as {@code http://10.0.0.2:80}
 * @param knownHostsLine its host key as a line of known_hosts, {@code HOST ssh-ed25519 AAAA...}
 */
public record ExternalDroplet(String name, String sshAddress, URI httpUrl, String knownHostsLine) {

    public ExternalDroplet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sshAddress, "sshAddress");
        Objects.requireNonNull(httpUrl, "httpUrl");
        Objects.requireNonNull(knownHostsLine, "knownHostsLine");
        if (!sshAddress.matches("\\S+:\\d+")) {
            throw new IllegalArgumentException("The SSH address of droplet " + name + " must be HOST:PORT, was '"
                    + sshAddress + "'");
        }
        if (!"http".equals(httpUrl.getScheme()) || httpUrl.getHost() == null) {
            throw new IllegalArgumentException("The HTTP URL of droplet " + name + " must be http://HOST[:PORT], was "
                    + httpUrl);
        }
    }
}
