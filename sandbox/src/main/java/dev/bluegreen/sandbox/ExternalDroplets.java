package dev.bluegreen.sandbox;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import dev.bluegreen.events.Colour;

/**
 * Droplets for a sandbox that someone else runs and sets up (see {@link SandboxSettings#withExternalDroplets}), and
 * how the deploy-agent reaches them. Blue must serve the app already when the sandbox starts: the sandbox bootstraps
 * nothing on them, and the apps file it writes gives them no {@code deploy} block, so the deploy-agent runs the
 * README's default workflow (fetch, checkout, pip install, HUP to gunicorn, self-test) in {@code /srv/<app>}.
 *
 * @param repository the git repository they deploy from, as the apps file names it
 * @param sshUser who the deploy-agent logs in as
 * @param privateKey the key that logs in to every droplet
 * @param blue the droplets that serve when the sandbox starts
 * @param green the idle droplets, as many as blue
 */
public record ExternalDroplets(String repository, String sshUser, Path privateKey, List<ExternalDroplet> blue,
        List<ExternalDroplet> green) {

    public ExternalDroplets {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(sshUser, "sshUser");
        Objects.requireNonNull(privateKey, "privateKey");
        blue = List.copyOf(blue);
        green = List.copyOf(green);
        if (blue.isEmpty() || blue.size() != green.size()) {
            throw new IllegalArgumentException("External droplets need at least one a colour and as many green as "
                    + "blue, were " + blue.size() + " blue and " + green.size() + " green");
        }
        Set<String> names = new HashSet<>();
        Stream.concat(blue.stream(), green.stream()).map(ExternalDroplet::name).filter(name -> !names.add(name))
                .findFirst().ifPresent(name -> {
                    throw new IllegalArgumentException("Two external droplets are named " + name);
                });
    }

    public List<ExternalDroplet> of(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }
}
