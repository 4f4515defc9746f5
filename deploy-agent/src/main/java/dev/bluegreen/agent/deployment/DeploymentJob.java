package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;

/**
 * One deployment provisioning on this instance, on a thread of the agent's pool. It begins once the app's previous
 * deployment on this instance has really stopped, and runs its first step only once this instance's lifecycle fold
 * has taken in its DeploymentStarted while the deployment still provisions: every event before it in the app's
 * history is then folded too, so a deployment that moved on or ended meanwhile (a repeated request after a crash, say)
 * runs nothing. Once stopped, its SSH commands are killed and it publishes nothing more.
 */
final class DeploymentJob implements DeploymentRun, Runnable {

    private static final Logger log = LoggerFactory.getLogger(DeploymentJob.class);

    static final Duration RECORD_START_TIMEOUT = Duration.ofSeconds(10);

    private final String deploymentId;

    private final DeployRequested request;

    private final AppSpec app;

    private final Colour colour;

    private final Provisioner provisioner;

    private final Publisher events;

    private final Consumer<DeploymentJob> onEnd;

    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private final CompletableFuture<Void> startFolded = new CompletableFuture<>();

    /** The app's deployment on this instance before this one, until it has stopped. */
    private volatile @Nullable DeploymentJob previous;

    /** Guarded by {@code this}: why it was stopped, or null while it may go on. */
    private @Nullable String stoppedBecause;

    /** Guarded by {@code this}: the thread running it, while it runs. */
    private @Nullable Thread runner;

    /** Guarded by {@code this}: the envelope id of its DeploymentStarted, once sent. */
    private @Nullable String startEnvelopeId;

    DeploymentJob(String deploymentId, DeployRequested request, AppSpec app, Colour colour,
            @Nullable DeploymentJob previous, Provisioner provisioner, Publisher events,
            Consumer<DeploymentJob> onEnd) {
        this.deploymentId = deploymentId;
        this.request = request;
        this.app = app;
        this.colour = colour;
        this.previous = previous;
        this.provisioner = provisioner;
        this.events = events;
        this.onEnd = onEnd;
    }

    @Override
    public String deploymentId() {
        return deploymentId;
    }

    String app() {
        return request.app();
    }

    boolean hasEnded() {
        return ended.isDone();
    }

    @Override
    public void run() {
        synchronized (this) {
            if (stoppedBecause != null) {
                end();
                return;
            }
            runner = Thread.currentThread();
        }
        try (MDC.MDCCloseable inLogs = MDC.putCloseable("deploymentId", deploymentId)) {
            provision();
        }
        finally {
            synchronized (this) {
                runner = null;
                Thread.interrupted(); // a stop that came as it ended is not the pool's business
            }
            end();
        }
    }

    private void provision() {
        try {
            awaitPrevious();
            finish(provisioner.provision(this, request, app, colour));
        }
        catch (InterruptedException ex) {
            log.info("Deployment {} of {} stopped on this deploy-agent instance ({}); it publishes nothing more.",
                    deploymentId, app(), stoppedBecause());
        }
        catch (RuntimeException ex) {
            log.error("Deployment {} of {} broke unexpectedly.", deploymentId, app(), ex);
            finish(new ProvisioningFailed(app(), colour, request.ref(), "The deploy-agent hit an unexpected error; "
                    + "its log has the details.", null, null, null, null));
        }
    }

    private void awaitPrevious() throws InterruptedException {
        DeploymentJob before = previous;
        if (before != null && !before.hasEnded()) {
            log.info("Deployment {} of {} waits until deployment {}, stopped, has ended on this instance.",
                    deploymentId, app(), before.deploymentId);
            try {
                before.ended.get();
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException(ex); // it is only ever completed normally
            }
        }
        previous = null;
    }

    /**
     * Stops the deployment: its step is killed, its outcome is not published. Returns at once; the deployment has
     * really stopped when a deployment of the app started after this has begun.
     */
    synchronized void stop(String why) {
        if (stoppedBecause != null || ended.isDone()) {
            return;
        }
        stoppedBecause = why;
        if (runner != null) {
            runner.interrupt();
        }
        else {
            end(); // still waiting for a thread: it will not begin
        }
    }

    private synchronized String stoppedBecause() {
        return stoppedBecause == null ? "the deploy-agent is shutting down" : stoppedBecause;
    }

    /** The lifecycle fold took in a DeploymentStarted of this deployment: if it is this run's, the steps may begin. */
    void startFolded(Envelope started, boolean stillProvisioning) {
        synchronized (this) {
            if (!started.id().equals(startEnvelopeId)) {
                return;
            }
        }
        if (stillProvisioning) {
            startFolded.complete(null);
        }
        else {
            stop("it no longer provisions once its start was folded");
        }
    }

    @Override
    public void publish(PipelineEvent event) {
        send(Envelope.of(Publisher.SOURCE, deploymentId, event));
    }

    private synchronized @Nullable CompletableFuture<?> send(Envelope envelope) {
        return stoppedBecause == null ? events.publish(envelope) : null;
    }

    @Override
    public @Nullable String recordStart(DeploymentStarted started) throws InterruptedException {
        Envelope envelope = Envelope.of(Publisher.SOURCE, deploymentId, started);
        CompletableFuture<?> sent;
        synchronized (this) {
            startEnvelopeId = envelope.id(); // before it is sent: the fold may take it in at once
            sent = send(envelope);
        }
        if (sent == null) {
            throw new InterruptedException();
        }
        try {
            sent.get(RECORD_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            return "The deploy-agent could not record on Kafka that the deployment starts, so it ran no step: a crash "
                    + "during it could not be noticed later. Is Kafka reachable?";
        }
        try {
            // no limit of its own: the provisioning deadline ends the deployment, and that stops this wait
            startFolded.get();
            return null;
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException(ex); // it is only ever completed normally
        }
    }

    private void finish(PipelineEvent outcome) {
        synchronized (this) {
            if (stoppedBecause != null) {
                log.info("Deployment {} of {} ended after it was stopped ({}); its outcome is not published.",
                        deploymentId, app(), stoppedBecause);
                return;
            }
            report(outcome);
            events.publish(deploymentId, outcome);
        }
    }

    private void report(PipelineEvent outcome) {
        if (outcome instanceof EnvironmentProvisioned provisioned) {
            log.info("Provisioned {} of {} at commit {} for deployment {} in {} ms.", provisioned.colour(),
                    provisioned.app(), provisioned.commit(), deploymentId, provisioned.durationMs());
        }
        else if (outcome instanceof ProvisioningFailed failed) {
            log.warn("Deployment {} of {} failed: {}", deploymentId, failed.app(), failed.reason());
        }
    }

    private void end() {
        if (ended.complete(null)) {
            onEnd.accept(this);
        }
    }
}
