package dev.bluegreen.apps;

import org.springframework.boot.context.properties.bind.ConstructorBinding;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.jspecify.annotations.Nullable;

/**
 * How a droplet is brought to a new version: the steps run over SSH, in order, in {@code directory}.
 * Step commands are templates: {@code {{app}}}, {@code {{ref}}}, {@code {{commit}}}, {@code {{deployment_id}}},
 * {@code {{colour}}}, {@code {{repository}}}, {@code {{branch}}} and {@code {{directory}}} are replaced by their
 * values, each shell-quoted, and so may stand only outside quotes; the same values are in the environment of every
 * command, as {@code BLUEGREEN_APP}, {@code BLUEGREEN_REF} and so on, for use inside quotes ({@code "$BLUEGREEN_REF"}).
 *
 * @param directory the app's checkout on the droplet; it may hold no placeholder but {@code {{app}}}
 * @param commitCommand prints the commit checked out, run after the steps
 * @param preDeploy hooks run on each droplet before the steps (same form as steps)
 * @param postDeploy hooks run on each droplet after the steps passed
 * @param skipUnchangedCommit whether a deploy of the commit the idle colour already runs is skipped (default false)
 * @param deadline how long a deployment may stay provisioning before it expires; default: every hook's and step's
 *     timeout added up, plus two minutes for connecting and the commit command (droplets run side by side), plus,
 *     when some are {@code run-once}, the timeouts up to the last of those again (the other droplets wait for them)
 */
public record DeploySpec(@NotBlank String directory, @NotEmpty List<@Valid StepSpec> steps,
        @NotBlank String commitCommand, List<@Valid StepSpec> preDeploy, List<@Valid StepSpec> postDeploy,
        @Nullable Boolean skipUnchangedCommit, @Nullable Duration deadline) {

    @ConstructorBinding
    public DeploySpec {
        directory = directory == null ? "/srv/{{app}}" : directory;
        steps = steps == null ? defaultSteps() : List.copyOf(steps);
        commitCommand = commitCommand == null ? "git rev-parse HEAD" : commitCommand;
        preDeploy = preDeploy == null ? List.of() : List.copyOf(preDeploy);
        postDeploy = postDeploy == null ? List.of() : List.copyOf(postDeploy);
        skipUnchangedCommit = skipUnchangedCommit != null && skipUnchangedCommit;
        deadline = deadline == null ? sumOfTimeouts(preDeploy, steps, postDeploy).plus(SETUP_ALLOWANCE)
                .plus(untilLastRunOnce(preDeploy, steps, postDeploy)) : deadline;
    }

    public DeploySpec(String directory, List<StepSpec> steps, String commitCommand, List<StepSpec> preDeploy,
            List<StepSpec> postDeploy, @Nullable Boolean skipUnchangedCommit) {
        this(directory, steps, commitCommand, preDeploy, postDeploy, skipUnchangedCommit, null);
    }

    /** Connecting over SSH (and a bastion), recording the start, and the commit command, on top of the steps. */
    private static final Duration SETUP_ALLOWANCE = Duration.ofMinutes(2);

    @SafeVarargs
    private static Duration sumOfTimeouts(List<StepSpec>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).map(StepSpec::timeout)
                .reduce(Duration.ZERO, Duration::plus);
    }

    /** What the other droplets of a colour wait for while one runs the run-once steps: the timeouts up to the last. */
    @SafeVarargs
    private static Duration untilLastRunOnce(List<StepSpec>... lists) {
        List<StepSpec> all = java.util.Arrays.stream(lists).flatMap(List::stream).toList();
        int last = -1;
        for (int i = 0; i < all.size(); i++) {
            last = all.get(i).runsOnce() ? i : last;
        }
        return all.subList(0, last + 1).stream().map(StepSpec::timeout).reduce(Duration.ZERO, Duration::plus);
    }

    static DeploySpec defaults() {
        return new DeploySpec(null, null, null, null, null, null, null);
    }

    public boolean skipsUnchangedCommit() {
        return skipUnchangedCommit;
    }

    /**
     * Asks five times, a second apart: gunicorn answers a HUP at once and its old workers go on answering until the
     * new ones have booted, so a single request right after the restart may pass a version whose workers cannot boot;
     * within these seconds its master gives up, and nothing answers.
     */
    static final String SELF_TEST = "for attempt in 1 2 3 4 5; do sleep 1; "
            + "curl --fail --silent --show-error --max-time 10 http://127.0.0.1/healthz || exit; done";

    /** The app's name from the environment: a placeholder may not stand inside the quotes the pid needs. */
    static final String RESTART = "kill -HUP \"$(cat \"/run/gunicorn/$BLUEGREEN_APP.pid\")\"";

    /**
     * The classic workflow for nginx in front of gunicorn: fetch, check out, install, restart gracefully (HUP to the
     * master, never {@code pkill gunicorn}), self-test against localhost. Migrations are left to apps that add them.
     */
    static List<StepSpec> defaultSteps() {
        Duration fiveMinutes = Duration.ofMinutes(5);
        return List.of(
                new StepSpec("fetch", "git fetch --prune --tags origin {{ref}}", fiveMinutes, true),
                new StepSpec("checkout", "git checkout --force --detach FETCH_HEAD", Duration.ofMinutes(1), true),
                new StepSpec("install", ".venv/bin/pip install --requirement requirements.txt", Duration.ofMinutes(10),
                        true),
                new StepSpec("restart", RESTART, Duration.ofMinutes(1), true),
                new StepSpec("self-test", SELF_TEST, Duration.ofMinutes(1), true));
    }
}
