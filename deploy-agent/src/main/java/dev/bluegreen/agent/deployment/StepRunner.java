package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.agent.deployment.DropletOutcome.Failed;
import dev.bluegreen.agent.deployment.DropletOutcome.Provisioned;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.ssh.CommandResult;
import dev.bluegreen.ssh.DropletShell;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshFailure;

/**
 * Provisions one droplet: one SSH connection, the pre-deploy hooks, deploy steps and post-deploy hooks one after the
 * other until one that aborts on failure fails, then the commit command. Each one's output streams out live.
 */
@Component
class StepRunner {

    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

    private final SshConnector ssh;

    private final LogStreams logs;

    StepRunner(SshConnector ssh, LogStreams logs) {
        this.ssh = ssh;
        this.logs = logs;
    }

    /**
     * @throws InterruptedException when the deployment was stopped: the step running is killed and no other starts
     */
    DropletOutcome provision(DropletSpec droplet, DeployPlan plan, DeploymentRun run) throws InterruptedException {
        return provision(droplet, plan, run, () -> {
        });
    }

    /**
     * Provisions the droplet, and calls {@code runOnceDone} as soon as the plan's last run-once hook or step has
     * ended without failing the droplet, so that the colour's other droplets may begin.
     *
     * @throws InterruptedException when the deployment was stopped: the step running is killed and no other starts
     */
    DropletOutcome provision(DropletSpec droplet, DeployPlan plan, DeploymentRun run, Runnable runOnceDone)
            throws InterruptedException {
        String app = plan.app();
        String deploymentId = run.deploymentId();
        List<DeployPlan.Step> runOnce = plan.runOnce();
        DeployPlan.@Nullable Step lastRunOnce = runOnce.isEmpty() ? null : runOnce.get(runOnce.size() - 1);
        DeployPlan.@Nullable Step current = null;
        try (DropletShell shell = ssh.connect(droplet, plan.bastion())) {
            for (DeployPlan.Step step : plan.all()) {
                current = step;
                Ran ran = run(shell, step, droplet, plan, run);
                if (ran.result().succeeded()) {
                    log.info("{} passed on droplet {} of {} for deployment {}.", capitalised(step.describe()),
                            droplet.id(), app, deploymentId);
                }
                else if (step.aborts()) {
                    return failed(droplet, step, ran);
                }
                else {
                    log.warn("{} Deployment {} of {} goes on: the step does not abort on failure.",
                            reason(droplet, step, ran.result()), deploymentId, app);
                }
                if (step == lastRunOnce) {
                    runOnceDone.run();
                }
            }
            current = plan.commitCommand();
            Ran ran = run(shell, current, droplet, plan, run);
            String commit = lastLine(ran.tail());
            if (!ran.result().succeeded()) {
                return failed(droplet, current, ran);
            }
            if (commit == null) {
                return new Failed(droplet.id(), "The commit command printed nothing on droplet " + droplet.id() + ".",
                        current.name(), ran.result().exitCode(), ran.tail());
            }
            return new Provisioned(droplet.id(), commit);
        }
        catch (SshFailure ex) {
            String during = current == null ? "" : " (during " + current.describe() + ")";
            return new Failed(droplet.id(), ex.getMessage() + during, current == null ? null : current.name(), null,
                    null);
        }
    }

    /**
     * The commit the droplet has checked out now, or null when the commit command does not tell. It may be published,
     * so it is masked as step output is.
     */
    @Nullable String currentCommit(DropletSpec droplet, DeployPlan plan) throws InterruptedException {
        DeployPlan.Step command = plan.commitCommand();
        try (DropletShell shell = ssh.connect(droplet, plan.bastion())) {
            CommandResult result = shell.run(command.command(), command.timeout());
            String commit = result.succeeded() ? lastLine(result.outputTail()) : null;
            return commit == null ? null : logs.masker().mask(commit);
        }
        catch (SshFailure ex) {
            return null;
        }
    }

    /**
     * How a step ended, and the end of its output, masked. The command's own {@link CommandResult#outputTail()} is
     * not masked, and is cut where it may cut a secret in two: it never leaves the agent.
     */
    private record Ran(CommandResult result, String tail) {
    }

    /** Runs one step, streaming its output live. */
    private Ran run(DropletShell shell, DeployPlan.Step step, DropletSpec droplet, DeployPlan plan,
            DeploymentRun deployment) throws SshFailure, InterruptedException {
        StepLog live = logs.open(deployment, plan.app(), plan.colour(), droplet.id(), step.name());
        CommandResult result;
        try {
            live.note("Started " + step.describe() + " on droplet " + droplet.id() + ".");
            result = shell.run(step.command(), step.timeout(), live);
            if (!result.succeeded()) {
                String reason = reason(droplet, step, result);
                live.note(step.aborts() ? reason : reason + " It does not abort the deployment: the next one runs.");
            }
        }
        finally {
            logs.closed(live);
        }
        return new Ran(result, live.tail());
    }

    private Failed failed(DropletSpec droplet, DeployPlan.Step step, Ran ran) {
        return new Failed(droplet.id(), reason(droplet, step, ran.result()), step.name(), ran.result().exitCode(),
                ran.tail());
    }

    private String reason(DropletSpec droplet, DeployPlan.Step step, CommandResult result) {
        String what = step.describe();
        String reason;
        if (result.timedOut()) {
            reason = capitalised(what) + " on droplet " + droplet.id() + " timed out after "
                    + humanReadable(step.timeout()) + ".";
        }
        else if (result.exitCode() != null) {
            reason = capitalised(what) + " failed on droplet " + droplet.id() + " with exit code " + result.exitCode()
                    + ".";
        }
        else if (result.signal() != null) {
            reason = capitalised(what) + " on droplet " + droplet.id() + " was killed by signal " + result.signal()
                    + ".";
        }
        else {
            reason = capitalised(what) + " on droplet " + droplet.id() + " ended without an exit code.";
        }
        return reason;
    }

    private static String capitalised(String text) {
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }

    /** {@code 10s}, {@code 5m}, {@code 1m30s}. */
    private static String humanReadable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static @Nullable String lastLine(String output) {
        List<String> lines = output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }
}
