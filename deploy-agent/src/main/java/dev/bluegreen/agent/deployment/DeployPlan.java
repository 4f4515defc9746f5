package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.BastionSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;

/**
 * The commands one deployment runs on each droplet, placeholders filled in: the pre-deploy hooks, the deploy steps and
 * the post-deploy hooks in order, then the command that prints the commit checked out. Each command first changes to
 * the app's directory. Public for the dry run ({@code bluegreen-preflight dry-run}), which prints it instead.
 *
 * @param requestedCommit the commit the request names, when it names one
 * @param bastion the jump host to reach the droplets through, if any
 */
public record DeployPlan(String app, Colour colour, List<Step> preDeploy, List<Step> steps, List<Step> postDeploy,
        Step commitCommand, @Nullable String requestedCommit, @Nullable BastionSpec bastion,
        boolean skipsUnchangedCommit) {

    static final Duration COMMIT_COMMAND_TIMEOUT = Duration.ofMinutes(1);

    static final String COMMIT_COMMAND = "commit";

    /**
     * @param kind what it is, for messages: a step, a pre-deploy hook or a post-deploy hook
     * @param aborts whether its failure fails the deployment; when not, the failure is logged and the next one runs
     * @param runOnce whether it runs on one droplet of the colour only, before the others begin
     */
    public record Step(String kind, String name, String command, Duration timeout, boolean aborts, boolean runOnce) {

        public Step(String kind, String name, String command, Duration timeout, boolean aborts) {
            this(kind, name, command, timeout, aborts, false);
        }

        Step(String name, String command, Duration timeout) {
            this("step", name, command, timeout, true);
        }

        /** {@code step 'install'}, {@code pre-deploy hook 'notify'}. */
        public String describe() {
            return COMMIT_COMMAND.equals(kind) ? "the commit command" : kind + " '" + name + "'";
        }
    }

    /** Every command of the plan before the commit command, in the order they run. */
    public List<Step> all() {
        List<Step> all = new ArrayList<>(preDeploy);
        all.addAll(steps);
        all.addAll(postDeploy);
        return all;
    }

    /** The hooks and steps marked run-once, in the order they run. */
    List<Step> runOnce() {
        return all().stream().filter(Step::runOnce).toList();
    }

    /** The plan for the droplets that leave the run-once hooks and steps to another droplet. */
    DeployPlan withoutRunOnce() {
        return new DeployPlan(app, colour, preDeploy.stream().filter(step -> !step.runOnce()).toList(),
                steps.stream().filter(step -> !step.runOnce()).toList(),
                postDeploy.stream().filter(step -> !step.runOnce()).toList(), commitCommand, requestedCommit, bastion,
                skipsUnchangedCommit);
    }

    /** @throws IllegalArgumentException when a template uses a placeholder that does not exist, naming both */
    public static DeployPlan of(String deploymentId, DeployRequested request, AppSpec app, Colour colour) {
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
        Step commit = new Step(COMMIT_COMMAND, COMMIT_COMMAND,
                inDirectory(cd, render("the commit command", () -> CommandTemplate.command(deploy.commitCommand(),
                        values))),
                COMMIT_COMMAND_TIMEOUT, true);
        return new DeployPlan(request.app(), colour, steps("pre-deploy hook", deploy.preDeploy(), cd, values),
                steps("step", deploy.steps(), cd, values), steps("post-deploy hook", deploy.postDeploy(), cd, values),
                commit, request.commit(), app.bastion(), deploy.skipsUnchangedCommit());
    }

    private static List<Step> steps(String kind, List<StepSpec> specs, String cd, Map<String, String> values) {
        return specs.stream()
                .map(step -> new Step(kind, step.name(), inDirectory(cd,
                        render(kind + " '" + step.name() + "'", () -> CommandTemplate.command(step.run(), values))),
                        step.timeout(), step.aborts(), step.runsOnce()))
                .toList();
    }

    /**
     * A script of several lines is grouped after the {@code cd}: otherwise only its first line would wait for the
     * {@code cd}, and the rest would run in the login directory when the app's directory is missing.
     */
    private static String inDirectory(String cd, String command) {
        return command.contains("\n") ? cd + "{\n" + command + (command.endsWith("\n") ? "" : "\n") + "}" : cd + command;
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
