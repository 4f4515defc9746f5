package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;

/**
 * The commands one deployment runs on each droplet, placeholders filled in: the deploy steps in order, then the
 * command that prints the commit checked out. Each command first changes to the app's directory.
 */
record DeployPlan(List<Step> steps, Step commitCommand) {

    static final Duration COMMIT_COMMAND_TIMEOUT = Duration.ofMinutes(1);

    static final String COMMIT_COMMAND = "commit";

    record Step(String name, String command, Duration timeout) {
    }

    /** @throws IllegalArgumentException when a template uses a placeholder that does not exist, naming both */
    static DeployPlan of(String deploymentId, DeployRequested request, AppSpec app, Colour colour) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("app", request.app());
        values.put("ref", request.ref());
        values.put("commit", request.commit() == null ? request.ref() : request.commit());
        values.put("deployment_id", deploymentId);
        values.put("colour", colour.wireName());
        values.put("repository", app.repository());
        values.put("branch", app.branch());
        DeploySpec deploy = app.deploy();
        String directory = render("the directory", () -> CommandTemplate.text(deploy.directory(), values));
        values.put("directory", directory);
        String cd = "cd " + CommandTemplate.quote(directory) + " && ";
        List<Step> steps = deploy.steps().stream()
                .map(step -> new Step(step.name(),
                        cd + render("step '" + step.name() + "'", () -> CommandTemplate.command(step.run(), values)),
                        step.timeout()))
                .toList();
        Step commit = new Step(COMMIT_COMMAND,
                cd + render("the commit command", () -> CommandTemplate.command(deploy.commitCommand(), values)),
                COMMIT_COMMAND_TIMEOUT);
        return new DeployPlan(steps, commit);
    }

    /**
     * Checks the templates of an app from the apps file, so a typo stops start-up instead of a deployment.
     *
     * @throws IllegalStateException naming the key of the bad template
     */
    static void check(String appName, AppSpec app) {
        DeployRequested sample = new DeployRequested(appName, "main", null, "start-up check");
        try {
            of("start-up-check", sample, app, Colour.GREEN);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("The deploy settings of app " + appName + " (bluegreen.apps." + appName
                    + ".deploy) are wrong: " + ex.getMessage());
        }
    }

    private static String render(String what, Supplier<String> rendering) {
        try {
            return rendering.get();
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(what + ": " + ex.getMessage(), ex);
        }
    }
}
