package dev.bluegreen.sandbox;

import java.util.List;
import java.util.Optional;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;
import dev.bluegreen.sandbox.sampleapp.Step;

/**
 * Writes the apps file (YAML) that points the services at a sandbox, one entry for each of its apps. The API token is
 * left out: it is a secret.
 */
final class AppsFile {

    /** How long the old colour keeps serving requests in flight after a switch, in the sandbox. */
    static final java.time.Duration DRAIN_PERIOD = java.time.Duration.ofSeconds(1);

    private final StringBuilder yaml = new StringBuilder();

    static String of(Sandbox sandbox) {
        return new AppsFile().render(sandbox);
    }

    private String render(Sandbox sandbox) {
        line(0, "# The apps file for a bluegreen sandbox. The DigitalOcean API token is not in it: pass it separately.");
        line(0, "bluegreen:");
        line(1, "apps:");
        Optional<ExternalDroplets> external = sandbox.externalDroplets();
        for (SandboxApp app : sandbox.apps()) {
            app(app, external.map(ExternalDroplets::repository).orElse(sandbox.repositoryUrl()), external.isEmpty());
        }
        line(1, "ssh:");
        line(2, "user: " + quoted(external.map(ExternalDroplets::sshUser).orElse(SshDroplet.USER)));
        line(2, "private-key: " + quoted(external.map(ExternalDroplets::privateKey).orElse(sandbox.clientKeyFile())
                .toString()));
        line(2, "known-hosts: " + quoted(sandbox.knownHostsFile().toString()));
        line(1, "digitalocean:");
        line(2, "api-url: " + quoted(sandbox.apiUrl().toString()));
        return yaml.toString();
    }

    private void app(SandboxApp app, String repositoryUrl, boolean sandboxSteps) {
        line(2, app.name() + ":");
        line(3, "load-balancer-id: " + quoted(app.loadBalancerId()));
        line(3, "repository: " + quoted(repositoryUrl));
        line(3, "branch: main");
        line(3, "initial-live-colour: blue");
        line(3, "droplets:");
        for (Colour colour : Colour.values()) {
            line(4, colour.wireName() + ":");
            droplets(app.droplets(colour));
        }
        if (sandboxSteps) {
            deploy();
        } else {
            line(3, "# no deploy block: the README's default workflow for nginx and gunicorn, in /srv/" + app.name());
        }
        line(3, "routing:");
        app.reservedIp().ifPresent(ip -> {
            line(4, "strategy: reserved-ip");
            line(4, "reserved-ip: " + quoted(ip));
        });
        // the sample app answers in milliseconds: a short drain keeps the demo and the tests quick
        line(4, "drain-period: " + duration(DRAIN_PERIOD));
        line(3, "health:");
        line(4, "path: /healthz");
        line(4, "expected-status: 200");
        line(4, "interval: 200ms");
        line(4, "timeout: 2s");
        line(4, "successes-in-a-row: 3");
        line(4, "deadline: 20s");
    }

    /** The sample app's own steps, for the sandbox's SSH droplets, which run no nginx or gunicorn. */
    private void deploy() {
        line(3, "deploy:");
        line(4, "directory: " + quoted(SampleAppSteps.DIRECTORY) + "  # the droplet's own folder, where its SSH commands start");
        line(4, "commit-command: " + quoted(SampleAppSteps.COMMIT_COMMAND));
        line(4, "steps:");
        for (Step step : SampleAppSteps.deploySteps()) {
            line(5, "- name: " + quoted(step.name()));
            line(5, "  timeout: " + duration(step.timeout()));
            run(step.run());
        }
    }

    private void droplets(List<SandboxDroplet> droplets) {
        for (SandboxDroplet droplet : droplets) {
            line(5, "- {id: " + droplet.id() + ", ssh: " + quoted(droplet.sshAddress()) + ", http: "
                    + quoted(droplet.httpUrl().toString()) + "}");
        }
    }

    private static String duration(java.time.Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** A multi-line command as a literal block, so the apps file reads like the script it holds. */
    private void run(String command) {
        boolean literal = command.contains("\n") && !command.startsWith(" ") && !command.contains("\r");
        if (!literal) {
            line(5, "  run: " + quoted(command));
            return;
        }
        line(5, "  run: " + (command.endsWith("\n") ? "|" : "|-"));
        for (String commandLine : command.split("\n", -1)) {
            if (!commandLine.isEmpty()) {
                line(7, commandLine);
            } else {
                yaml.append('\n');
            }
        }
        if (command.endsWith("\n")) {
            yaml.setLength(yaml.length() - 1);
        }
    }

    private void line(int depth, String text) {
        yaml.append("  ".repeat(depth)).append(text).append('\n');
    }

    /** A YAML double-quoted scalar. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
