package dev.bluegreen.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.Sandbox;
import dev.bluegreen.sandbox.SandboxDroplet;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.sandbox.digitalocean.ForwardingRule;
import dev.bluegreen.sandbox.digitalocean.HealthCheck;
import dev.bluegreen.sandbox.digitalocean.HealthMetricsShape;
import dev.bluegreen.sandbox.digitalocean.LoadBalancerSettings;
import dev.bluegreen.testing.KafkaFixture;
import dev.bluegreen.testing.ValidatingProxy;

/**
 * The doctor against a sandbox: real SSH droplets with their own host keys, real HTTP apps, a real Kafka broker, and
 * the DigitalOcean simulator behind a proxy that checks every call against DigitalOcean's description.
 */
class DoctorTest {

    private static final String APP = "doctored";

    @TempDir
    static Path folder;

    private static Sandbox sandbox;
    private static ValidatingProxy api;
    private static Path appsFile;

    @BeforeAll
    static void startSandbox() throws IOException, InterruptedException {
        // inside a git repository with a commit, as a sandbox started from a bluegreen checkout is: the droplets
        // must not take it for their own checkout
        git("init", "--quiet", folder.toString());
        git("-C", folder.toString(), "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit",
                "--quiet", "--allow-empty", "--message=around the sandbox");
        sandbox = Sandbox.start(SandboxSettings.defaults().withAppName(APP).withWorkFolder(folder.resolve("sandbox")));
        api = new ValidatingProxy(sandbox.apiUrl());
        appsFile = sandbox.writeAppsFile(folder.resolve("bluegreen.yml"));
    }

    private static void git(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    @AfterAll
    static void stopSandbox() {
        if (api != null) {
            api.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void findsNothingToFixInAWorkingSetupAndOnlyReadsDigitalOcean() {
        int callsBefore = api.calls().size();

        PreflightRun run = PreflightRun.of(settings(), "doctor");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.findings("FAIL")).as(run.output()).isEmpty();
        assertThat(run.findings("ok")).as(run.output())
                .anyMatch(line -> line.contains("DigitalOcean accepts the token"))
                .anyMatch(line -> line.contains("Load balancer " + sandbox.loadBalancerId() + " (")
                        && line.endsWith("exists and is active."))
                .anyMatch(line -> line.contains("blue is live, green is idle"))
                .anyMatch(line -> line.startsWith("  ok    Kafka answered: 1 broker"))
                .anyMatch(line -> line.equals("  ok    Load balancer " + sandbox.loadBalancerId()
                        + " forwards http 80 → http 80."))
                .anyMatch(line -> line.contains("(http on port 80, path /healthz, every 3 s, 2 passes to join) asks "
                        + "for /healthz, the app's health path"))
                .anyMatch(line -> line.contains("The health metrics of load balancer " + sandbox.loadBalancerId()
                        + " name its droplets by id (droplet ") && line.endsWith("a switch waits until they show "
                                + "every new droplet passing."));
        for (SandboxDroplet droplet : sandbox.droplets()) {
            assertThat(run.findings("ok")).as(run.output())
                    .anyMatch(line -> line.contains("Droplet " + droplet.id() + " (" + droplet.colour() + ", "))
                    .anyMatch(line -> line.contains("SSH to droplet " + droplet.id() + " (")
                            && line.endsWith("host key verified, logged in with the deploy key."));
        }
        for (SandboxDroplet blue : sandbox.droplets(Colour.BLUE)) {
            assertThat(run.findings("ok")).as(run.output()).anyMatch(line -> line.contains(blue.httpUrl()
                    .resolve("/healthz") + " answered 200") && line.endsWith("(droplet " + blue.id() + ", blue, live)."));
        }
        for (SandboxDroplet green : sandbox.droplets(Colour.GREEN)) {
            assertThat(run.findings("warn")).as(run.output())
                    .anyMatch(line -> line.contains("Droplet " + green.id() + " shows no commit checked out"))
                    .anyMatch(line -> line.contains(green.httpUrl().resolve("/healthz")
                            + " did not answer: connection refused"));
        }
        assertThat(run.output()).contains("Nothing to fix");
        List<ValidatingProxy.Checked> calls = new ArrayList<>(api.calls().subList(callsBefore, api.calls().size()));
        assertThat(calls).isNotEmpty().allSatisfy(call -> {
            assertThat(call.method()).isEqualTo("GET");
            assertThat(call.problems()).as(call.path()).isEmpty();
        });
    }

    @Test
    void saysTheTokenIsRefusedAndWhatToDoWithoutShowingIt() {
        String wrongToken = "dop_v1_" + "f".repeat(64);
        List<String> settings = settingsWith("bluegreen.digitalocean.token", wrongToken);

        PreflightRun run = PreflightRun.of(settings, "doctor");

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output())
                .anyMatch(line -> line.contains("DigitalOcean refused the token (401)"));
        assertThat(run.output()).contains("set DIGITALOCEAN_TOKEN to it")
                .contains("The load balancer, droplets and live colour: skipped").doesNotContain(wrongToken);
    }

    @Test
    void refusesADropletWhoseHostKeyIsNotKnownAndSaysHowToCheckAndAddIt() throws IOException {
        Path emptyKnownHosts = Files.writeString(folder.resolve("empty_known_hosts"), "");
        List<String> settings = settingsWith("bluegreen.ssh.known-hosts", emptyKnownHosts.toString());

        PreflightRun run = PreflightRun.of(settings, "doctor");

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        SandboxDroplet first = sandbox.droplets(Colour.BLUE).get(0);
        assertThat(run.findings("FAIL")).as(run.output()).hasSize(sandbox.droplets().size())
                .allMatch(line -> line.contains("was not recognised"));
        assertThat(run.output()).contains("ssh-keyscan -p " + first.sshAddress().split(":")[1] + " 127.0.0.1 >> "
                + emptyKnownHosts);
        assertThat(run.findings("ok")).noneMatch(line -> line.contains("SSH to droplet"));
    }

    @Test
    void namesTheLoadBalancerAndDropletThatDoNotExistAndTheKeysToFix() throws IOException {
        long green = sandbox.dropletIds(Colour.GREEN).get(0);
        String apps = Files.readString(appsFile)
                .replace(sandbox.loadBalancerId(), "4de7ac8b-495b-4884-9a69-1050c6793cd6")
                .replace("- id: " + green + "\n", "- id: 999999\n");
        Path wrongAppsFile = Files.writeString(folder.resolve("wrong-ids.yml"), apps);
        List<String> settings = settingsWith("bluegreen.config", wrongAppsFile.toString());

        PreflightRun run = PreflightRun.of(settings, "doctor", APP);

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output())
                .anyMatch(line -> line.contains("There is no load balancer 4de7ac8b-495b-4884-9a69-1050c6793cd6"))
                .anyMatch(line -> line.contains("There is no droplet 999999 (green)"));
        assertThat(run.output()).contains("fix: set bluegreen.apps." + APP + ".load-balancer-id")
                .contains("fix: set bluegreen.apps." + APP + ".droplets.green[0].id");
    }

    @Test
    void failsWhenTheLiveColourDoesNotAnswerItsHealthUrl() {
        List<String> settings = settingsWith("bluegreen.apps." + APP + ".health.path", "/missing");

        PreflightRun run = PreflightRun.of(settings, "doctor");

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output()).filteredOn(line -> line.contains("/missing answered"))
                .hasSize(sandbox.droplets(Colour.BLUE).size())
                .allMatch(line -> line.contains("/missing answered 404 in ") && line.contains("; expected 200 (")
                        && line.contains("blue, live"));
        // and the balancer checks another path than the app's health path now is
        assertThat(run.findings("FAIL")).as(run.output()).hasSize(sandbox.droplets(Colour.BLUE).size() + 1)
                .anyMatch(line -> line.contains("it asks for /healthz, not the app's health path /missing"));
    }

    @Test
    void failsWhenTheBalancersHealthCheckAsksForAnotherPathThanTheAppsHealthPath() {
        // as the seed's nginx answers "location /health { return 200; }" by itself, whatever the app does
        LoadBalancerSettings before = balancerSettings();
        sandbox.simulator().replaceLoadBalancer(sandbox.loadBalancerId(),
                before.withHealthCheck(new HealthCheck("http", 80, "/", 3, 5, 2, 2)));
        PreflightRun run;
        try {
            run = PreflightRun.of(settings(), "doctor", APP);
        } finally {
            sandbox.simulator().replaceLoadBalancer(sandbox.loadBalancerId(), before);
        }

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output()).containsExactly("  FAIL  The health check of load "
                + "balancer " + sandbox.loadBalancerId() + " (http on port 80, path /, every 3 s, 2 passes to join) "
                + "does not check what the health-monitor checks: it asks for /, not the app's health path /healthz. "
                + "The balancer would send traffic to droplets whose app fails.");
        assertThat(run.output()).contains("set protocol HTTP, port 80, path /healthz (bluegreen.apps." + APP
                + ".health.path)");
    }

    @Test
    void failsWhenTheBalancerDoesNotForwardPort80ToPort80() {
        LoadBalancerSettings before = balancerSettings();
        sandbox.simulator().replaceLoadBalancer(sandbox.loadBalancerId(), new LoadBalancerSettings(before.name(),
                before.region(), before.dropletIds(), before.tag(),
                List.of(new ForwardingRule("http", 80, "http", 8000, "", false)), before.healthCheck(),
                before.stickySessions(), false, false, false, before.httpIdleTimeoutSeconds(), false,
                before.sizeUnit(), List.of(), List.of()));
        PreflightRun run;
        try {
            run = PreflightRun.of(settings(), "doctor", APP);
        } finally {
            sandbox.simulator().replaceLoadBalancer(sandbox.loadBalancerId(), before);
        }

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output()).containsExactly("  FAIL  Load balancer "
                + sandbox.loadBalancerId() + " does not forward port 80 to port 80 on the droplets, where nginx "
                + "listens (its rules: http 80 → http 8000).");
        assertThat(run.output()).contains("fix: add the rule: doctl compute load-balancer add-forwarding-rules "
                + sandbox.loadBalancerId() + " --forwarding-rules "
                + "entry_protocol:http,entry_port:80,target_protocol:http,target_port:80");
    }

    @Test
    void saysASwitchWaitsTheBalancersTimeWhenNoHealthMetricNamesItsDroplets() {
        sandbox.simulator().setHealthMetrics(sandbox.loadBalancerId(), HealthMetricsShape.OTHER_LABELS);
        PreflightRun run;
        PreflightRun hurried;
        try {
            run = PreflightRun.of(settings(), "doctor", APP);
            hurried = PreflightRun.of(settingsWith("bluegreen.apps." + APP + ".routing.settle-timeout", "5s"),
                    "doctor", APP);
        } finally {
            sandbox.simulator().setHealthMetrics(sandbox.loadBalancerId(), HealthMetricsShape.BY_DROPLET_ID);
        }

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.findings("warn")).as(run.output()).contains("  warn  No current health metric of load "
                + "balancer " + sandbox.loadBalancerId() + " names its droplets (its series are labelled instance, "
                + "lb_id, not by droplet id): a switch waits 9 s after adding the new colour (healthy_threshold 2 × "
                + "check_interval_seconds 3 s, plus one interval), then takes the old colour out without seeing the "
                + "new one serve.");
        assertThat(run.output()).contains("set bluegreen.apps." + APP + ".routing.verify to a path the new version "
                + "answers through the balancer");
        assertThat(hurried.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(hurried.findings("FAIL")).as(hurried.output()).containsExactly("  FAIL  routing.settle-timeout "
                + "(5 s) is shorter than the 9 s load balancer " + sandbox.loadBalancerId() + " may need to pass a "
                + "new droplet (healthy_threshold 2 × check_interval_seconds 3 s, plus one interval): with nothing to "
                + "confirm it sooner, every switch gives up and takes the new colour out again.");
    }

    @Test
    void saysASwitchIsConfirmedThroughTheBalancerAndThatItsVerifyPathAnswersThere() {
        List<String> settings = settingsWith("bluegreen.apps." + APP + ".routing.verify.path", "/version");
        settings.add("--bluegreen.apps." + APP + ".routing.verify.expect={{ref}}");
        settings.add("--bluegreen.apps." + APP + ".routing.verify.base-url=" + sandbox.loadBalancerUrl());
        String url = sandbox.loadBalancerUrl().toString().replaceAll("/$", "") + "/version";

        PreflightRun run = PreflightRun.of(settings, "doctor", APP);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.findings("ok")).as(run.output())
                .contains("  ok    A switch asks GET " + url + " through the balancer until the answer contains "
                        + "\"{{ref}}\" with the new colour's values (routing.verify).")
                .anyMatch(line -> line.startsWith("  ok    GET " + url + " answered 200 \"v1\" through the "
                        + "balancer in "));
        assertThat(run.output()).doesNotContain("health metrics of load balancer");
    }

    @Test
    void saysWhereItLookedForKafkaWhenNoBrokerAnswers() {
        List<String> settings = settingsWith("spring.kafka.bootstrap-servers", "127.0.0.1:1");
        settings.add("--bluegreen.preflight.kafka-timeout=2s");

        PreflightRun run = PreflightRun.of(settings, "doctor", APP);

        assertThat(run.exitCode()).isEqualTo(Preflight.PROBLEMS);
        assertThat(run.findings("FAIL")).as(run.output())
                .containsExactly("  FAIL  Kafka at 127.0.0.1:1 did not answer within 2 s.");
    }

    @Test
    void saysWhichFileIsMissingWhenThereIsNoAppsFile() {
        PreflightRun run = PreflightRun.of(List.of("--bluegreen.config=" + folder.resolve("nowhere.yml")), "doctor");

        assertThat(run.exitCode()).isEqualTo(Preflight.USAGE);
        assertThat(run.output()).contains("there is no apps file at").contains("nowhere.yml");
    }

    private static LoadBalancerSettings balancerSettings() {
        return sandbox.simulator().loadBalancer(sandbox.loadBalancerId()).orElseThrow().settings();
    }

    /** The settings with one replaced or added: a setting given twice would be read as both, comma-separated. */
    private static List<String> settingsWith(String key, String value) {
        List<String> settings = new ArrayList<>(settings());
        settings.removeIf(setting -> setting.startsWith("--" + key + "="));
        settings.add("--" + key + "=" + value);
        return settings;
    }

    private static List<String> settings() {
        return List.of("--bluegreen.config=" + appsFile, "--bluegreen.digitalocean.api-url=" + api.url(),
                "--bluegreen.digitalocean.token=" + sandbox.apiToken(),
                "--spring.kafka.bootstrap-servers=" + KafkaFixture.bootstrapServers());
    }
}
