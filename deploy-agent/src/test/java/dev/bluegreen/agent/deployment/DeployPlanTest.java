package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.Droplets;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;

class DeployPlanTest {

    @TempDir
    Path folder;

    @Test
    void aHostileRefStaysALiteralRef() throws Exception {
        String hostile = "v2; touch pwned && $(touch pwned2) `touch pwned3` 'quoted' \"double\" \\ * $HOME";
        DeployPlan plan = DeployPlan.of("d-1", new DeployRequested("shop", hostile, null, "mallory"),
                app(folder.toString(), step("fetch", "printf '%s\\n' {{ref}} {{commit}}")), Colour.GREEN);

        String output = sh(plan.steps().get(0).command());

        assertThat(output).isEqualTo(hostile + "\n" + hostile + "\n");
        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void everyPlaceholderIsFilledInAndEveryCommandRunsInTheAppsDirectory() throws Exception {
        Path directory = Files.createDirectories(folder.resolve("srv/shop app"));
        String everything = "printf '%s|' {{app}} {{ref}} {{commit}} {{deployment_id}} {{colour}} {{repository}} "
                + "{{branch}} {{directory}} \"$PWD\"";
        DeployPlan plan = DeployPlan.of("d-7", new DeployRequested("shop", "v2", "abc123", "ci"),
                app(folder + "/srv/{{app}} app", step("show", everything)), Colour.BLUE);

        assertThat(sh(plan.steps().get(0).command())).isEqualTo("shop|v2|abc123|d-7|blue|https://git.example/shop.git|"
                + "main|" + directory + "|" + directory.toRealPath() + "|");
        assertThat(plan.commitCommand().command()).isEqualTo("cd '" + directory + "' && git rev-parse HEAD");
    }

    @Test
    void everyLineOfAScriptRunsInTheAppsDirectoryOrNoneRunsAtAll() throws Exception {
        Path directory = Files.createDirectories(folder.resolve("srv/shop"));
        String script = "true\necho ran in \"$PWD\"\n";

        DeployPlan present = DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"),
                app(directory.toString(), step("where", script)), Colour.BLUE);
        DeployPlan missing = DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"),
                app(folder.resolve("srv/gone").toString(), step("where", script)), Colour.BLUE);

        assertThat(sh(present.steps().get(0).command()).strip()).isEqualTo("ran in " + directory.toRealPath());
        assertThat(sh(missing.steps().get(0).command())).doesNotContain("ran in");
    }

    @Test
    void theCommitIsTheRefWhenTheRequestDoesNotKnowIt() {
        DeployPlan plan = DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"),
                app("/srv/shop", step("checkout", "git checkout {{commit}}")), Colour.GREEN);

        assertThat(plan.steps().get(0).command()).isEqualTo("cd '/srv/shop' && git checkout 'v2'");
    }

    @Test
    void aStepKeepsItsNameAndTimeout() {
        DeployPlan plan = DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"),
                app("/srv/shop", new StepSpec("install", "pip install .", Duration.ofMinutes(10), true)), Colour.GREEN);

        assertThat(plan.steps()).singleElement().satisfies(step -> {
            assertThat(step.name()).isEqualTo("install");
            assertThat(step.timeout()).isEqualTo(Duration.ofMinutes(10));
        });
    }

    @Test
    void aMistypedPlaceholderIsNamedWithItsStep() {
        AppSpec app = app("/srv/shop", step("fetch", "git fetch origin {{reff}}"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"), app,
                        Colour.GREEN))
                .withMessageContaining("step 'fetch'").withMessageContaining("{{reff}} is not a placeholder")
                .withMessageContaining("{{ref}}");
    }

    @Test
    void aMistypedPlaceholderStopsStartUpNamingTheAppsKey() {
        AppSpec app = app("/srv/{{directory}}", step("fetch", "git fetch"));

        assertThatIllegalStateException().isThrownBy(() -> DeployPlan.check("shop", app))
                .withMessageContaining("bluegreen.apps.shop.deploy")
                .withMessageContaining("the directory: {{directory}} is not a placeholder here");
    }

    @Test
    void aQuotedValueIsOneShellWordEvenWithQuotesInside() {
        assertThat(CommandTemplate.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(CommandTemplate.quote("")).isEqualTo("''");
    }

    @Test
    void theDropletsThatLeaveTheRunOnceStepsToAnotherGetThePlanWithoutThem() {
        DeployPlan plan = DeployPlan.of("d-1", new DeployRequested("shop", "v2", null, "ci"), app("/srv/shop",
                step("install", "pip install ."), new StepSpec("migrate", "flask db upgrade", Duration.ofMinutes(2),
                        true, true), step("restart", "kill -HUP 1")), Colour.GREEN);

        assertThat(plan.runOnce()).extracting(DeployPlan.Step::name).containsExactly("migrate");
        assertThat(plan.withoutRunOnce().all()).extracting(DeployPlan.Step::name).containsExactly("install", "restart");
        assertThat(plan.withoutRunOnce().commitCommand()).isEqualTo(plan.commitCommand());
    }

    private static StepSpec step(String name, String run) {
        return new StepSpec(name, run, Duration.ofSeconds(30), true);
    }

    private static AppSpec app(String directory, StepSpec... steps) {
        DropletSpec droplet = new DropletSpec(1, "127.0.0.1:22", "http://127.0.0.1:80", null, null);
        return new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(droplet), List.of(droplet)),
                new DeploySpec(directory, List.of(steps), "git rev-parse HEAD", null, null, null), null, null, null);
    }

    private static String sh(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the command finishes").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
