package dev.bluegreen.agent.deployment;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;

/**
 * The deployments this instance runs, on a bounded pool so that the lifecycle engine's thread never waits for one,
 * at most one per app at a time: a new deployment of an app begins only once the one before it has really stopped.
 * Thread-safe; every method returns at once.
 */
@Component
class Deployments implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Deployments.class);

    private final Provisioner provisioner;

    private final Publisher events;

    private final ThreadPoolExecutor pool;

    /** The latest deployment of each app on this instance, until it has ended. */
    private final Map<String, DeploymentJob> latest = new ConcurrentHashMap<>();

    Deployments(Provisioner provisioner, Publisher events, DeploymentSettings settings) {
        this.provisioner = provisioner;
        this.events = events;
        this.pool = boundedPool(settings);
    }

    private static ThreadPoolExecutor boundedPool(DeploymentSettings settings) {
        AtomicInteger threads = new AtomicInteger();
        BlockingQueue<Runnable> waiting = settings.maxWaitingDeployments() == 0 ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(settings.maxWaitingDeployments());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.maxConcurrentDeployments(),
                settings.maxConcurrentDeployments(), 1, TimeUnit.MINUTES, waiting,
                runnable -> new Thread(runnable, "deployment-" + threads.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Starts provisioning {@code colour} for the deployment, unless this instance runs it already; when the pool is
     * full, publishes that the deployment failed, saying why.
     */
    void start(String deploymentId, DeployRequested request, AppSpec app, Colour colour) {
        DeploymentJob previous = latest.get(request.app());
        if (previous != null && previous.deploymentId().equals(deploymentId) && !previous.hasEnded()) {
            log.info("Deployment {} of {} runs on this instance already.", deploymentId, request.app());
            return;
        }
        if (previous != null) {
            previous.stop("deployment " + deploymentId + " of the app starts");
        }
        DeploymentJob job = new DeploymentJob(deploymentId, request, app, colour, previous, provisioner, events,
                this::ended);
        latest.put(request.app(), job);
        try {
            pool.execute(job);
        }
        catch (RejectedExecutionException ex) {
            job.stop("the deploy-agent was too busy to start it");
            if (previous != null && !previous.hasEnded()) {
                latest.putIfAbsent(request.app(), previous); // the next deployment still waits for it
            }
            String reason = "The deploy-agent is busy with " + pool.getActiveCount() + " deployments and has "
                    + pool.getQueue().size() + " waiting; this one was not started. Deploy again later.";
            log.warn("Deployment {} of {} failed: {}", deploymentId, request.app(), reason);
            events.publish(deploymentId, new ProvisioningFailed(request.app(), colour, request.ref(), reason, null,
                    null, null, null));
        }
    }

    /** Whether this instance runs the deployment. */
    boolean runs(String app, String deploymentId) {
        DeploymentJob job = latest.get(app);
        return job != null && job.deploymentId().equals(deploymentId) && !job.hasEnded();
    }

    /** Stops the deployment if this instance runs it: its step is killed, and nothing more is published for it. */
    void stop(String app, String deploymentId, String why) {
        DeploymentJob job = latest.get(app);
        if (job != null && job.deploymentId().equals(deploymentId)) {
            job.stop(why);
        }
    }

    /** Stops whichever deployment of the app this instance runs, publishing nothing more for it. */
    void stopAll(String app, String why) {
        DeploymentJob job = latest.get(app);
        if (job != null) {
            job.stop(why);
        }
    }

    /** This instance's lifecycle fold took in a DeploymentStarted of the app. */
    void startFolded(String app, Envelope started, boolean stillProvisioning) {
        DeploymentJob job = latest.get(app);
        if (job != null && job.deploymentId().equals(started.deploymentId())) {
            job.startFolded(started, stillProvisioning);
        }
    }

    private void ended(DeploymentJob job) {
        latest.remove(job.app(), job);
    }

    @Override
    public void destroy() {
        latest.values().forEach(job -> job.stop("the deploy-agent is shutting down"));
        pool.shutdownNow();
    }
}
