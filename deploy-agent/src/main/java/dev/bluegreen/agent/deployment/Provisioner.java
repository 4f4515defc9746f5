package dev.bluegreen.agent.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.bluegreen.agent.deployment.DropletOutcome.Failed;
import dev.bluegreen.agent.deployment.DropletOutcome.NotBegun;
import dev.bluegreen.agent.deployment.DropletOutcome.Provisioned;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.GitRef;
import dev.bluegreen.deployplan.DeployPlan;
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

    private final StepRunner steps;

    /** Unbounded, but the deployments that use it are bounded; a thread a droplet of a running deployment. */
    private final ExecutorService droplets = Executors.newCachedThreadPool(new ThreadFactory() {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            return new Thread(runnable, "droplet-provisioning-" + count.incrementAndGet());
        }
    });

    Provisioner(StepRunner steps) {
        this.steps = steps;
    }

    /**
     * Provisions {@code colour} for the deployment and returns its outcome, to be published.
     *
     * @throws InterruptedException when the deployment was stopped: every droplet's step was killed, and no step of
     *     it runs any more when this returns
     */
    PipelineEvent provision(DeploymentRun run, DeployRequested request, AppSpec app, Colour colour)
            throws InterruptedException {
        long started = System.nanoTime();
        String deploymentId = run.deploymentId();
        DeployPlan plan;
        try {
            plan = DeployPlan.of(deploymentId, request, app, colour);
        }
        catch (IllegalArgumentException ex) {
            return failure(request, colour, "The deploy steps of " + request.app() + " could not be prepared: "
                    + ex.getMessage() + ". No step ran on any droplet.", null);
        }
        List<DropletSpec> targets = app.droplets(colour);
        List<Long> targetIds = targets.stream().map(DropletSpec::id).toList();
        String notRecorded = run.recordStart(new DeploymentStarted(request.app(), colour, request.ref(), targetIds));
        if (notRecorded != null) {
            return failure(request, colour, notRecorded, null);
        }
        String unchanged = unchangedCommit(targets, plan);
        if (unchanged != null) {
            log.info("Deployment {} of {} skipped every step: {} already runs commit {}.", deploymentId,
                    request.app(), colour, unchanged);
            targetIds.forEach(id -> run.publish(new DeploymentLog(request.app(), colour, id, SKIPPED_STEP, 0,
                    List.of("Droplet " + id + " already runs commit " + unchanged + ", the commit requested: every "
                            + "step was skipped."), false)));
            return new EnvironmentProvisioned(request.app(), colour, request.ref(), unchanged, targetIds,
                    (System.nanoTime() - started) / 1_000_000);
        }
        List<DropletOutcome> outcomes = provisionAll(run, request, targets, plan);
        List<Failed> failures = outcomes.stream().filter(Failed.class::isInstance).map(Failed.class::cast).toList();
        List<NotBegun> waited = outcomes.stream().filter(NotBegun.class::isInstance).map(NotBegun.class::cast)
                .toList();
        if (!failures.isEmpty() || !waited.isEmpty()) {
            @Nullable Failed first = failures.isEmpty() ? null : failures.get(0);
            String reason = first == null ? "The run-once hooks and steps did not pass." : first.reason();
            String others = failures.size() <= 1 ? ""
                    : " " + (failures.size() - 1) + " other droplet(s) of " + colour + " failed too.";
            String notBegun = waited.isEmpty() ? ""
                    : " " + waited.size() + " other droplet(s) of " + colour + " ran no step: they begin only once "
                            + "the run-once " + names(plan.runOnce()) + " passed on droplet " + waited.get(0).ranOn()
                            + ".";
            return failure(request, colour, reason + others + notBegun, first);
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
     * The commit every droplet of the colour already runs, when the request names that commit and the app skips
     * unchanged commits; null when the steps must run. Costs one commit command per droplet, in parallel.
     */
    private @Nullable String unchangedCommit(List<DropletSpec> targets, DeployPlan plan) throws InterruptedException {
        String wanted = plan.requestedCommit();
        if (!plan.skipsUnchangedCommit() || wanted == null || wanted.length() < 7) {
            return null;
        }
        List<Callable<@Nullable String>> asks = targets.stream()
                .<Callable<@Nullable String>>map(droplet -> () -> steps.currentCommit(droplet, plan)).toList();
        try (DropletTasks<@Nullable String> asked = DropletTasks.start(droplets, asks)) {
            String common = null;
            for (Future<@Nullable String> answer : asked.futures()) {
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
    }

    private List<DropletOutcome> provisionAll(DeploymentRun run, DeployRequested request, List<DropletSpec> targets,
            DeployPlan plan) throws InterruptedException {
        List<Callable<DropletOutcome>> work = plan.runOnce().isEmpty() || targets.size() == 1
                ? targets.stream().<Callable<DropletOutcome>>map(droplet -> () -> steps.provision(droplet, plan, run))
                        .toList()
                : runOnceFirst(run, targets, plan);
        // closing stops the droplets still at work, and waits for them, when this thread is stopped
        try (DropletTasks<DropletOutcome> running = DropletTasks.start(droplets, work)) {
            List<DropletOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                outcomes.add(outcome(targets.get(i), running.futures().get(i), request, run.deploymentId()));
            }
            return outcomes;
        }
    }

    /**
     * The first droplet runs the whole plan; the others wait until it has run the run-once hooks and steps, and then
     * run the plan without them, side by side with what the first has left to do. A migration thus runs once, and
     * before any droplet could restart on code that needs it.
     */
    private List<Callable<DropletOutcome>> runOnceFirst(DeploymentRun run, List<DropletSpec> targets,
            DeployPlan plan) {
        DropletSpec first = targets.get(0);
        log.info("Deployment {} of {} runs the run-once {} on droplet {} alone; the other droplets of {} begin once "
                + "they have passed.", run.deploymentId(), plan.app(), names(plan.runOnce()), first.id(),
                plan.colour());
        CompletableFuture<Boolean> ranOnce = new CompletableFuture<>();
        List<Callable<DropletOutcome>> work = new ArrayList<>();
        work.add(() -> {
            try {
                return steps.provision(first, plan, run, () -> ranOnce.complete(true));
            }
            finally {
                ranOnce.complete(false);
            }
        });
        DeployPlan rest = plan.withoutRunOnce();
        for (DropletSpec droplet : targets.subList(1, targets.size())) {
            work.add(() -> ranOnce.get() ? steps.provision(droplet, rest, run)
                    : new NotBegun(droplet.id(), first.id()));
        }
        return work;
    }

    /** {@code step 'migrate'}, {@code pre-deploy hook 'backup' and step 'migrate'}. */
    private static String names(List<DeployPlan.Step> steps) {
        List<String> described = steps.stream().map(DeployPlan.Step::describe).toList();
        return described.size() == 1 ? described.get(0)
                : String.join(", ", described.subList(0, described.size() - 1)) + " and "
                        + described.get(described.size() - 1);
    }

    private static DropletOutcome outcome(DropletSpec droplet, Future<@Nullable DropletOutcome> provisioning,
            DeployRequested request, String deploymentId) throws InterruptedException {
        try {
            DropletOutcome outcome = provisioning.get();
            if (outcome == null) {
                throw new InterruptedException(); // it never began: the deployment was stopped
            }
            return outcome;
        }
        catch (ExecutionException ex) {
            log.error("Provisioning droplet {} of {} for deployment {} broke unexpectedly.", droplet.id(),
                    request.app(), deploymentId, ex.getCause());
            return new Failed(droplet.id(), "The deploy-agent hit an unexpected error on droplet " + droplet.id()
                    + "; its log has the details.", null, null, null);
        }
    }

    /** {@code ref} as an event may carry it: a ref longer than any ref is, is cut, so that the event stays small. */
    static String shown(String ref) {
        return ref == null || ref.length() <= GitRef.LONGEST ? ref : ref.substring(0, GitRef.LONGEST) + "…";
    }

    private static ProvisioningFailed failure(DeployRequested request, Colour colour, String reason,
            @Nullable Failed failed) {
        if (failed == null) {
            return new ProvisioningFailed(request.app(), colour, shown(request.ref()), reason, null, null, null, null);
        }
        return new ProvisioningFailed(request.app(), colour, request.ref(), reason, failed.dropletId(), failed.step(),
                failed.exitCode(), failed.outputTail());
    }

    @Override
    public void destroy() {
        droplets.shutdownNow();
    }
}
