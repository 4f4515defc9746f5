package dev.bluegreen.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.sandbox.sampleapp.SampleAppSteps;

/**
 * Writes the apps file (YAML) that points the services at a sandbox, one entry for each of its apps, with Jackson's
 * YAML writer: records named as the apps file names its keys, scripts as literal blocks, every other string quoted.
 * The API token is left out: it is a secret. Jackson writes no comments, so the file carries none: the token is given
 * separately ({@code DIGITALOCEAN_TOKEN}), the {@code deploy.directory} is the droplet's own folder, where its SSH
 * commands start, and an app on external droplets has no {@code deploy} block, so it gets the README's default
 * workflow for nginx and gunicorn in {@code /srv/<app>}.
 */
final class AppsFile {

    /** How long the old colour keeps serving requests in flight after a switch, in the sandbox. */
    static final Duration DRAIN_PERIOD = Duration.ofSeconds(1);

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            // "- " two columns in from its key, as people write lists and as tests that edit the file expect
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private AppsFile() {
    }

    static String of(Sandbox sandbox) {
        Optional<ExternalDroplets> external = sandbox.externalDroplets();
        String repository = external.map(ExternalDroplets::repository).orElse(sandbox.repositoryUrl());
        Map<String, App> apps = new LinkedHashMap<>();
        for (SandboxApp app : sandbox.apps()) {
            apps.put(app.name(), app(app, repository, external.isEmpty()));
        }
        Ssh ssh = new Ssh(external.map(ExternalDroplets::sshUser).orElse(SshDroplet.USER),
                external.map(ExternalDroplets::privateKey).orElse(sandbox.clientKeyFile()).toString(),
                sandbox.knownHostsFile().toString());
        return YAML.writeValueAsString(Map.of("bluegreen",
                new Settings(apps, ssh, new DigitalOcean(sandbox.apiUrl().toString()))));
    }

    private static App app(SandboxApp app, String repositoryUrl, boolean sandboxSteps) {
        Map<String, List<Droplet>> droplets = new LinkedHashMap<>();
        for (Colour colour : Colour.values()) {
            droplets.put(colour.wireName(), app.droplets(colour).stream()
                    .map(droplet -> new Droplet(droplet.id(), droplet.sshAddress(), droplet.httpUrl().toString()))
                    .toList());
        }
        // the sample app answers in milliseconds: a short drain keeps the demo and the tests quick
        Routing routing = new Routing(app.reservedIp().map(ip -> "reserved-ip").orElse(null),
                app.reservedIp().orElse(null), duration(DRAIN_PERIOD));
        return new App(app.loadBalancerId(), repositoryUrl, "main", Colour.BLUE.wireName(), droplets,
                sandboxSteps ? deploy() : null, routing, new Health("/healthz", 200, "200ms", "2s", 3, "20s"));
    }

    /** The sample app's own steps, for the sandbox's SSH droplets, which run no nginx or gunicorn. */
    private static Deploy deploy() {
        return new Deploy(SampleAppSteps.DIRECTORY, SampleAppSteps.COMMIT_COMMAND, SampleAppSteps.deploySteps().stream()
                .map(step -> new DeployStep(step.name(), duration(step.timeout()), step.run())).toList());
    }

    private static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** {@code bluegreen:}: the apps, how to log in to their droplets, and where the DigitalOcean API is. */
    private record Settings(Map<String, App> apps, Ssh ssh, DigitalOcean digitalocean) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record App(String loadBalancerId, String repository, String branch, String initialLiveColour,
            Map<String, List<Droplet>> droplets, @Nullable Deploy deploy, Routing routing, Health health) {
    }

    private record Droplet(long id, String ssh, String http) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    private record Deploy(String directory, String commitCommand, List<DeployStep> steps) {
    }

    private record DeployStep(String name, String timeout, String run) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Routing(@Nullable String strategy, @Nullable String reservedIp, String drainPeriod) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    private record Health(String path, int expectedStatus, String interval, String timeout, int successesInARow,
            String deadline) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    private record Ssh(String user, String privateKey, String knownHosts) {
    }

    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    private record DigitalOcean(String apiUrl) {
    }
}
