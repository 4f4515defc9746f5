package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.bluegreen.agent.deployment.DropletOutcome.Failed;
import dev.bluegreen.agent.deployment.DropletOutcome.Provisioned;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;

/**
 * Provisions every droplet of one colour of an app in parallel and sums up the outcome as one event: provisioned
 * when every droplet passed every step and they all have the same commit checked out, failed otherwise.
 */
@Component
class Provisioner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);

    /** The step name of the log line that says a deployment was skipped. */
    static final String SKIPPED_STEP = "skipped";

    static final Duration RECORD_START_TIMEOUT = Duration.ofSeconds(10);

    private final StepRunner steps;

    private final Publisher events;

    /** Unbounded, but the deployments that use it are bounded; a thread a droplet of a running deployment. */
    private final ExecutorService droplets = Executors.newCachedThreadPool(new ThreadFactory() {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            return new Thread(runnable, "droplet-provisioning-" + count.incrementAndGet());
        }
    });

    Provisioner(StepRunner steps, Publisher events) {
        this.steps = steps;
        this.events = events;
    }

    PipelineEvent provision(String deploymentId, DeployRequested request, AppSpec app, Colour colour)
            throws InterruptedException {
        long started = System.nanoTime();
        DeployPlan plan;
        try {
            plan = DeployPlan.of(deploymentId, request, app, colour);
        }
        catch (IllegalArgumentException ex) {
            return failure(request, colour, "The deploy steps of " + request.app() + " could not be prepared: "
                    + ex.getMessage(), null);
        }
        List<DropletSpec> targets = app.droplets(colour);
        List<Long> targetIds = targets.stream().map(DropletSpec::id).toList();
        String notRecorded = recordStart(deploymentId, new DeploymentStarted(request.app(), colour, request.ref(),
                targetIds));
        if (notRecorded != null) {
            return failure(request, colour, notRecorded, null);
        }
        String unchanged = unchangedCommit(deploymentId, targets, plan);
        if (unchanged != null) {
            log.info("Deployment {} of {} skipped every step: {} already runs commit {}.", deploymentId,
                    request.app(), colour, unchanged);
            targetIds.forEach(id -> events.publish(deploymentId, new DeploymentLog(request.app(), colour, id,
                    SKIPPED_STEP, 0, List.of("Droplet " + id + " already runs commit " + unchanged + ", the commit "
                            + "requested: every step was skipped."), false)));
            return new EnvironmentProvisioned(request.app(), colour, request.ref(), unchanged, targetIds,
                    (System.nanoTime() - started) / 1_000_000);
        }
        List<DropletOutcome> outcomes = provisionAll(deploymentId, request, targets, plan);
        List<Failed> failures = outcomes.stream().filter(Failed.class::isInstance).map(Failed.class::cast).toList();
        if (!failures.isEmpty()) {
            Failed first = failures.get(0);
            String others = failures.size() == 1 ? ""
                    : " " + (failures.size() - 1) + " other droplet(s) of " + colour + " failed too.";
            return failure(request, colour, first.reason() + others, first);
        }
        List<String> commits = outcomes.stream().map(outcome -> ((Provisioned) outcome).commit()).distinct().toList();
        if (commits.size() > 1) {
            return failure(request, colour, "The droplets of " + colour + " checked out different commits ("
                    + String.join(", ", commits) + "): the ref " + request.ref() + " moved during the deployment. "
                    + "Deploy it again.", null);
        }
        List<Long> dropletIds = outcomes.stream().map(DropletOutcome::dropletId).toList();
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        return new EnvironmentProvisioned(request.app(), colour, request.ref(), commits.get(0), dropletIds, durationMs);
    }

    /**
     * Publishes that the deployment starts and waits until Kafka has it, so that a crash from here on is noticed at
     * the next start. Returns why it could not, or null.
     */
    private @Nullable String recordStart(String deploymentId, DeploymentStarted start) throws InterruptedException {
        try {
            events.publish(deploymentId, start).get(RECORD_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        }
        catch (ExecutionException | TimeoutException ex) {
            return "The deploy-agent could not record on Kafka that the deployment starts, so it ran no step: a crash "
                    + "during it could not be noticed later. Is Kafka reachable?";
        }
    }

    /**
     * The commit every idle droplet already runs, when the request names that commit and the app skips unchanged
     * commits; null when the steps must run. Costs one commit command per droplet, in parallel.
     */
    private @Nullable String unchangedCommit(String deploymentId, List<DropletSpec> targets, DeployPlan plan)
            throws InterruptedException {
        String wanted = plan.requestedCommit();
        if (!plan.skipsUnchangedCommit() || wanted == null || wanted.length() < 7) {
            return null;
        }
        List<Future<@Nullable String>> asked = new ArrayList<>();
        try {
            for (DropletSpec droplet : targets) {
                asked.add(droplets.submit(() -> steps.currentCommit(droplet, plan)));
            }
            String common = null;
            for (Future<@Nullable String> answer : asked) {
                String commit = answer.get();
                if (commit == null || !commit.startsWith(wanted) || (common != null && !common.equals(commit))) {
                    return null;
                }
                common = commit;
            }
            return common;
        }
        catch (ExecutionException ex) {
            return null;
        }
        finally {
            asked.forEach(future -> future.cancel(true));
        }
    }

    private List<DropletOutcome> provisionAll(String deploymentId, DeployRequested request, List<DropletSpec> targets,
            DeployPlan plan) throws InterruptedException {
        List<Future<DropletOutcome>> running = new ArrayList<>();
        try {
            for (DropletSpec droplet : targets) {
                running.add(droplets.submit(() -> steps.provision(droplet, plan, request.app(), deploymentId)));
            }
            List<DropletOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                outcomes.add(outcome(targets.get(i), running.get(i), request, deploymentId));
            }
            return outcomes;
        }
        finally {
            running.forEach(future -> future.cancel(true)); // only the unfinished ones, when this thread is stopped
        }
    }

    private static DropletOutcome outcome(DropletSpec droplet, Future<DropletOutcome> provisioning,
            DeployRequested request, String deploymentId) throws InterruptedException {
        try {
            return provisioning.get();
        }
        catch (ExecutionException ex) {
            log.error("Provisioning droplet {} of {} for deployment {} broke unexpectedly.", droplet.id(),
                    request.app(), deploymentId, ex.getCause());
            return new Failed(droplet.id(), "The deploy-agent hit an unexpected error on droplet " + droplet.id()
                    + "; its log has the details.", null, null, null);
        }
    }

    private static ProvisioningFailed failure(DeployRequested request, Colour colour, String reason,
            @Nullable Failed failed) {
        if (failed == null) {
            return new ProvisioningFailed(request.app(), colour, request.ref(), reason, null, null, null, null);
        }
        return new ProvisioningFailed(request.app(), colour, request.ref(), reason, failed.dropletId(), failed.step(),
                failed.exitCode(), failed.outputTail());
    }

    @Override
    public void destroy() {
        droplets.shutdownNow();
    }
}
