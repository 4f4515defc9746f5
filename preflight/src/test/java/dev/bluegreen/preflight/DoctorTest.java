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
                .anyMatch(line -> line.startsWith("  ok    Kafka answered: 1 broker"));
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
                    .anyMatch(line -> line.contains(green.httpUrl().resolve("/healthz") + " refused the connection"));
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
                .replace("{id: " + green + ",", "{id: 999999,");
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
        assertThat(run.findings("FAIL")).as(run.output()).hasSize(sandbox.droplets(Colour.BLUE).size())
                .allMatch(line -> line.contains("/missing answered 404 instead of 200") && line.contains("blue, live"));
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
