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
import dev.bluegreen.agent.ssh.CommandResult;
import dev.bluegreen.agent.ssh.DropletShell;
import dev.bluegreen.agent.ssh.SshConnector;
import dev.bluegreen.agent.ssh.SshFailure;
import dev.bluegreen.apps.DropletSpec;

/**
 * Provisions one droplet: one SSH connection, the deploy steps one after the other until one fails, then the commit
 * command.
 */
@Component
class StepRunner {

    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

    private final SshConnector ssh;

    StepRunner(SshConnector ssh) {
        this.ssh = ssh;
    }

    DropletOutcome provision(DropletSpec droplet, DeployPlan plan, String app, String deploymentId)
            throws InterruptedException {
        DeployPlan.@Nullable Step current = null;
        try (DropletShell shell = ssh.connect(droplet)) {
            for (DeployPlan.Step step : plan.steps()) {
                current = step;
                CommandResult result = shell.run(step.command(), step.timeout());
                if (!result.succeeded()) {
                    return failed(droplet, describe(plan, step), step, result);
                }
                log.info("Step {} passed on droplet {} of {} for deployment {}.", step.name(), droplet.id(), app,
                        deploymentId);
            }
            current = plan.commitCommand();
            CommandResult result = shell.run(current.command(), current.timeout());
            String commit = lastLine(result.outputTail());
            if (!result.succeeded()) {
                return failed(droplet, describe(plan, current), current, result);
            }
            if (commit == null) {
                return new Failed(droplet.id(), "The commit command printed nothing on droplet " + droplet.id() + ".",
                        current.name(), result.exitCode(), result.outputTail());
            }
            return new Provisioned(droplet.id(), commit);
        }
        catch (SshFailure ex) {
            String during = current == null ? "" : " (during " + describe(plan, current) + ")";
            return new Failed(droplet.id(), ex.getMessage() + during, current == null ? null : current.name(), null,
                    null);
        }
    }

    private static Failed failed(DropletSpec droplet, String what, DeployPlan.Step step, CommandResult result) {
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
        return new Failed(droplet.id(), reason, step.name(), result.exitCode(), result.outputTail());
    }

    private static String describe(DeployPlan plan, DeployPlan.Step step) {
        return step == plan.commitCommand() ? "the commit command" : "step '" + step.name() + "'";
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
