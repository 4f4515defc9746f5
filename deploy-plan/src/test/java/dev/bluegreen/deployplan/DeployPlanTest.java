package dev.bluegreen.deployplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
import dev.bluegreen.apps.BadSetting;
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
    void aHostileValueStaysALiteralWordWhereAPlaceholderStandsUnquoted() throws Exception {
        String hostile = "v2; touch pwned && $(touch pwned2) `touch pwned3` 'quoted' \"double\" \\ * $HOME";

        String output = sh("cd " + CommandTemplate.quote(folder.toString()) + " && " + CommandTemplate.command(
                "printf '%s\\n' {{ref}}", java.util.Map.of("ref", hostile)));

        assertThat(output).isEqualTo(hostile + "\n");
        try (var files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRefThatAShellWouldRunIsRefusedBeforeAnyCommandIsMade() {
        AppSpec app = app(folder.toString(), step("fetch", "git fetch origin {{ref}}"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeployPlan.of("d-1", new DeployRequested("shop", "$(curl${IFS}x|sh)", null,
                        "mallory"), app, Colour.GREEN))
                .withMessage("the ref may hold only ASCII letters, digits and . _ - / + @, so that no shell reads it "
                        + "as code (such as $ ` ( ) ; | & ' \" < > ! { })");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeployPlan.of("d-1", new DeployRequested("shop", "../../etc", null, "mallory"), app,
                        Colour.GREEN))
                .withMessage("the ref must not contain '..' (git's rule)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeployPlan.of("d-1", new DeployRequested("shop", "v2", "$(id)", "mallory"), app,
                        Colour.GREEN))
                .withMessageStartingWith("the commit must be 7 to 64 lower-case hex digits");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DeployPlan.of("d-1\n$(id)", new DeployRequested("shop", "v2", null, "mallory"),
                        app, Colour.GREEN))
                .withMessageStartingWith("the deployment id may hold only");
    }

    @Test
    void everyValueIsInTheEnvironmentOfEveryCommandAsCiSystemsHandThemOn() throws Exception {
        Path directory = Files.createDirectories(folder.resolve("srv/shop"));
        String variables = "printf '%s|' \"$BLUEGREEN_APP\" \"$BLUEGREEN_REF\" \"$BLUEGREEN_COMMIT\" "
                + "\"$BLUEGREEN_DEPLOYMENT_ID\" \"$BLUEGREEN_COLOUR\" \"$BLUEGREEN_REPOSITORY\" \"$BLUEGREEN_BRANCH\" "
                + "\"$BLUEGREEN_DIRECTORY\"";
        DeployPlan plan = DeployPlan.of("d-7", new DeployRequested("shop", "release/v2", "abc1234", "ci"),
                app(directory.toString(), step("show", variables)), Colour.BLUE);

        assertThat(sh(plan.steps().get(0).command())).isEqualTo("shop|release/v2|abc1234|d-7|blue|"
                + "https://git.example/shop.git|main|" + directory + "|");
        assertThat(sh(plan.commitCommand().command().replace("git rev-parse HEAD", "echo \"$BLUEGREEN_REF\"")))
                .isEqualTo("release/v2\n");
    }

    @Test
    void everyPlaceholderIsFilledInAndEveryCommandRunsInTheAppsDirectory() throws Exception {
        Path directory = Files.createDirectories(folder.resolve("srv/shop app"));
        String everything = "printf '%s|' {{app}} {{ref}} {{commit}} {{deployment_id}} {{colour}} {{repository}} "
                + "{{branch}} {{directory}} \"$PWD\"";
        DeployPlan plan = DeployPlan.of("d-7", new DeployRequested("shop", "v2", "abc1234", "ci"),
                app(folder + "/srv/{{app}} app", step("show", everything)), Colour.BLUE);

        assertThat(sh(plan.steps().get(0).command())).isEqualTo("shop|v2|abc1234|d-7|blue|https://git.example/shop.git|"
                + "main|" + directory + "|" + directory.toRealPath() + "|");
        assertThat(plan.commitCommand().command()).endsWith("; cd '" + directory + "' && git rev-parse HEAD");
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

        assertThat(plan.steps().get(0).command()).endsWith("; cd '/srv/shop' && git checkout 'v2'")
                .contains(" BLUEGREEN_COMMIT='v2' ");
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
    void aMistypedPlaceholderStopsStartUpNamingTheKeyAndTheFix() {
        AppSpec app = app("/srv/shop", step("checkout", "git checkout"), step("fetch", "git fetch origin {{reff}}"));

        assertThatExceptionOfType(BadSetting.class).isThrownBy(() -> DeployPlan.check("shop", app))
                .withMessage("bluegreen.apps.shop.deploy.steps[1].run holds {{reff}}, which is not a placeholder.")
                .satisfies(bad -> assertThat(bad.fix()).contains("{{ref}}", "$BLUEGREEN_REF"));
    }

    @Test
    void aPlaceholderInTheDirectoryOtherThanTheAppStopsStartUp() {
        assertThatExceptionOfType(BadSetting.class)
                .isThrownBy(() -> DeployPlan.check("shop", app("/srv/{{ref}}", step("fetch", "git fetch"))))
                .withMessage("bluegreen.apps.shop.deploy.directory holds {{ref}}: the directory may hold no "
                        + "placeholder but {{app}}, so that no request can choose where on a droplet the steps run.")
                .satisfies(bad -> assertThat(bad.key()).isEqualTo("bluegreen.apps.shop.deploy.directory"));
        DeployPlan.check("shop", app("/srv/{{app}}", step("fetch", "git fetch")));
    }

    @Test
    void aPlaceholderInsideQuotesStopsStartUpNamingTheKeyAndTheVariableToUseInstead() {
        AppSpec app = app("/srv/shop", step("fetch", "git fetch origin {{ref}}"),
                step("revision", "echo \"{{ref}}\" > REVISION"));

        assertThatExceptionOfType(BadSetting.class).isThrownBy(() -> DeployPlan.check("shop", app))
                .withMessage("bluegreen.apps.shop.deploy.steps[1].run puts {{ref}} inside double quotes, where its "
                        + "value's quotes are plain characters and $(...) in it would run.")
                .satisfies(bad -> assertThat(bad.fix()).contains("\"$BLUEGREEN_REF\""));
    }

    /** What the check stops would run: the quotes of the filled-in value end inside the template's double quotes. */
    @Test
    void theAttackTheCheckStopsWouldRunTheRefsCommand() throws Exception {
        String template = "echo \"{{ref}}\" > REVISION";
        String attack = "$(touch${IFS}pwned)";

        sh("cd " + CommandTemplate.quote(folder.toString()) + " && "
                + CommandTemplate.command(template, java.util.Map.of("ref", attack)));

        assertThat(folder.resolve("pwned")).as("the ref ran as a command").exists();
        assertThat(PlaceholderContexts.firstMisplaced(template)).isPresent();
        assertThat(dev.bluegreen.apps.GitRef.brokenRule(attack)).isPresent();
    }

    @Test
    void theDefaultStepsPassTheCheck() {
        AppSpec app = new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(droplet()), List.of(droplet())), null, null, null, null);

        DeployPlan.check("shop", app);

        assertThat(app.deploy().steps()).extracting(StepSpec::name).contains("restart");
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

    private static DropletSpec droplet() {
        return new DropletSpec(1, "127.0.0.1:22", "http://127.0.0.1:80", null, null);
    }

    private static AppSpec app(String directory, StepSpec... steps) {
        return new AppSpec("lb-1", "https://git.example/shop.git", "main", Colour.BLUE,
                new Droplets(List.of(droplet()), List.of(droplet())),
                new DeploySpec(directory, List.of(steps), "git rev-parse HEAD", null, null, null), null, null, null);
    }

    private static String sh(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the command finishes").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
