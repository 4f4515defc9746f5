package dev.bluegreen.deployplan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.apps.BastionSpec;
import dev.bluegreen.apps.DeploySpec;
import dev.bluegreen.apps.GitRef;
import dev.bluegreen.apps.StepSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;

/**
 * The commands one deployment runs on each droplet, placeholders filled in: the pre-deploy hooks, the deploy steps and
 * the post-deploy hooks in order, then the command that prints the commit checked out. Each command first exports the
 * deployment's values ({@code BLUEGREEN_REF} and so on) and changes to the app's directory. It is a library of its
 * own so that the preflight's dry run ({@code bluegreen-preflight dry-run}) prints the very commands the deploy-agent
 * runs.
 *
 * @param requestedCommit the commit the request names, when it names one
 * @param bastion the jump host to reach the droplets through, if any
 */
public record DeployPlan(String app, Colour colour, List<Step> preDeploy, List<Step> steps, List<Step> postDeploy,
        Step commitCommand, @Nullable String requestedCommit, @Nullable BastionSpec bastion,
        boolean skipsUnchangedCommit) {

    static final Duration COMMIT_COMMAND_TIMEOUT = Duration.ofMinutes(1);

    /** The name a failure of the commit command goes by, where a step's failure names the step. */
    public static final String COMMIT_COMMAND = "commit";

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
    public List<Step> runOnce() {
        return all().stream().filter(Step::runOnce).toList();
    }

    /** The plan for the droplets that leave the run-once hooks and steps to another droplet. */
    public DeployPlan withoutRunOnce() {
        return new DeployPlan(app, colour, preDeploy.stream().filter(step -> !step.runOnce()).toList(),
                steps.stream().filter(step -> !step.runOnce()).toList(),
                postDeploy.stream().filter(step -> !step.runOnce()).toList(), commitCommand, requestedCommit, bastion,
                skipsUnchangedCommit);
    }

    /** What a deployment id may look like, as the gateway and the other services make them. */
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    /**
     * The plan for the request, every placeholder filled in, and every value also in the environment of every command
     * ({@code BLUEGREEN_REF} and so on): a step may use {@code "$BLUEGREEN_REF"} inside quotes, where a placeholder may
     * not stand. The ref, commit and deployment id come from whoever could write the request, so they are checked here
     * again, before anything runs.
     *
     * @throws IllegalArgumentException when the ref, commit or deployment id is not one, or a template uses a
     *     placeholder that does not exist, saying which
     */
    public static DeployPlan of(String deploymentId, DeployRequested request, AppSpec app, Colour colour) {
        refusal(deploymentId, request).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
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
        String cd = environment(values) + "cd " + CommandTemplate.quote(directory) + " && ";
        Step commit = new Step(COMMIT_COMMAND, COMMIT_COMMAND,
                inDirectory(cd, render("the commit command", () -> CommandTemplate.command(deploy.commitCommand(),
                        values))),
                COMMIT_COMMAND_TIMEOUT, true);
        return new DeployPlan(request.app(), colour, steps("pre-deploy hook", deploy.preDeploy(), cd, values),
                steps("step", deploy.steps(), cd, values), steps("post-deploy hook", deploy.postDeploy(), cd, values),
                commit, request.commit(), app.bastion(), deploy.skipsUnchangedCommit());
    }

    /**
     * Why no plan may be made for the request, as the end of a sentence; empty when one may. The words never quote
     * the values: they may be huge, or made to forge a line of a log.
     */
    public static Optional<String> refusal(String deploymentId, DeployRequested request) {
        if (request.ref() == null) {
            return Optional.of("the request names no ref");
        }
        Optional<String> brokenRule = GitRef.brokenRule(request.ref());
        if (brokenRule.isPresent()) {
            return Optional.of("the ref " + brokenRule.get());
        }
        if (request.commit() != null && !GitRef.isCommitId(request.commit())) {
            return Optional.of("the commit must be 7 to 64 lower-case hex digits, as git writes a commit's id");
        }
        if (!DEPLOYMENT_ID.matcher(deploymentId).matches()) {
            return Optional.of("the deployment id may hold only ASCII letters, digits and . _ : -, at most 200 of "
                    + "them");
        }
        return Optional.empty();
    }

    /**
     * {@code export BLUEGREEN_APP='shop' BLUEGREEN_REF='v2' ...; }, as CI systems hand a job its values. Part of the
     * command rather than the SSH channel's environment, which OpenSSH refuses unless its AcceptEnv lists the names.
     */
    private static String environment(Map<String, String> values) {
        return values.entrySet().stream()
                .map(value -> variable(value.getKey()) + "=" + CommandTemplate.quote(value.getValue()))
                .collect(Collectors.joining(" ", "export ", "; "));
    }

    /** {@code BLUEGREEN_DEPLOYMENT_ID} for {@code {{deployment_id}}}. */
    static String variable(String placeholder) {
        return "BLUEGREEN_" + placeholder.toUpperCase(Locale.ROOT);
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
     * Checks the templates of an app from the apps file, so that a typo or a placeholder the shell would not take
     * literally stops start-up instead of a deployment, or worse, runs a ref as code.
     *
     * @throws BadSetting naming the key of the bad template
     */
    public static void check(String appName, AppSpec app) {
        String key = "bluegreen.apps." + appName + ".deploy";
        DeploySpec deploy = app.deploy();
        for (String placeholder : CommandTemplate.placeholders(deploy.directory())) {
            if (!placeholder.equals("app")) {
                throw new BadSetting(key + ".directory", key + ".directory holds {{" + placeholder + "}}: the "
                        + "directory may hold no placeholder but {{app}}, so that no request can choose where on a "
                        + "droplet the steps run.", "Name a fixed directory, such as /srv/{{app}}. A step that needs "
                        + "the ref or the deployment id reads it from $BLUEGREEN_REF or $BLUEGREEN_DEPLOYMENT_ID.");
            }
        }
        check(key + ".pre-deploy", deploy.preDeploy());
        check(key + ".steps", deploy.steps());
        check(key + ".post-deploy", deploy.postDeploy());
        check(key + ".commit-command", deploy.commitCommand());
    }

    private static void check(String key, List<StepSpec> steps) {
        for (int i = 0; i < steps.size(); i++) {
            check(key + "[" + i + "].run", steps.get(i).run());
        }
    }

    private static void check(String key, String template) {
        for (String placeholder : CommandTemplate.placeholders(template)) {
            if (!CommandTemplate.PLACEHOLDERS.contains(placeholder)) {
                throw new BadSetting(key, key + " holds {{" + placeholder + "}}, which is not a placeholder.",
                        "Use one of " + String.join(", ", CommandTemplate.PLACEHOLDERS.stream()
                                .map(name -> "{{" + name + "}}").toList()) + ", or the environment variable of the "
                                + "same name, such as $BLUEGREEN_REF.");
            }
        }
        PlaceholderContexts.firstMisplaced(template).ifPresent(misplaced -> {
            throw new BadSetting(key, key + " puts " + misplaced.placeholder() + " " + misplaced.where() + ".",
                    "Put " + misplaced.placeholder() + " outside quotes, where its value, quoted already, stays one "
                            + "word (echo {{ref}} > REVISION), or use the environment variable instead, which the "
                            + "shell expands safely inside double quotes (\"$" + variable(misplaced.name()) + "\").");
        });
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
