package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.bluegreen.agent.traffic.DeploymentsOnTheirWay;
import dev.bluegreen.agent.traffic.LiveColourUnknownException;
import dev.bluegreen.agent.traffic.LiveColours;
import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;

/**
 * Takes deploy requests and runs each as a deployment to the app's idle colour, on a bounded pool so the listener
 * never waits for one, and publishes how it ended. A deployment id is acted on once; an app has one deployment at a
 * time.
 */
@Component
class Deployments implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Deployments.class);

    private static final int REMEMBERED_DEPLOYMENTS = 10_000;

    private final AppCatalog apps;

    private final LiveColours liveColours;

    private final DeploymentsOnTheirWay onTheirWay;

    private final Provisioner provisioner;

    private final EventPublisher events;

    private final Duration liveColourTimeout;

    private final ThreadPoolExecutor pool;

    /**
     * Deployment ids already taken on, so a redelivered request is not deployed twice; at start-up it learns those of
     * earlier runs from {@link DeploymentHistory}.
     */
    private final Set<String> taken = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_DEPLOYMENTS;
                }
            }));

    /** The deployment running for each app. */
    private final Map<String, String> running = new ConcurrentHashMap<>();

    Deployments(AppCatalog apps, LiveColours liveColours, DeploymentsOnTheirWay onTheirWay, Provisioner provisioner,
            EventPublisher events, DeploymentSettings settings) {
        this.apps = apps;
        this.liveColours = liveColours;
        this.onTheirWay = onTheirWay;
        this.provisioner = provisioner;
        this.events = events;
        this.liveColourTimeout = settings.liveColourTimeout();
        apps.names().forEach(name -> DeployPlan.check(name, apps.require(name)));
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

    /** Deployments that started or ended before this agent started: requests for them are not run again. */
    void alreadyTaken(Set<String> deploymentIds) {
        taken.addAll(deploymentIds);
    }

    /** Starts the deployment, or publishes at once why it cannot start. Returns without waiting for it. */
    void request(String deploymentId, DeployRequested request) {
        if (request.app() == null || request.app().isBlank()) {
            log.warn("Ignored deploy request {}: it names no app, so there is no one to tell.", deploymentId);
            return;
        }
        if (!taken.add(deploymentId)) {
            log.info("Deployment {} of {} was already taken on; ignoring the repeated request.", deploymentId,
                    request.app());
            return;
        }
        AppSpec app = apps.find(request.app()).orElse(null);
        if (app == null) {
            refuse(deploymentId, request, "There is no app named " + request.app() + " in the apps file of "
                    + "the deploy-agent.");
            return;
        }
        if (request.ref() == null || request.ref().isBlank()) {
            refuse(deploymentId, request, "The deploy request names no ref to deploy.");
            return;
        }
        if (request.ref().startsWith("-")) {
            // No git ref starts with a dash, and git would read such an argument as an option (--upload-pack=...).
            refuse(deploymentId, request, "The ref " + request.ref() + " starts with a dash: no git ref does, and git "
                    + "would take it for an option. Nothing was deployed.");
            return;
        }
        String other = running.putIfAbsent(request.app(), deploymentId);
        if (other != null) {
            refuse(deploymentId, request, "Deployment " + other + " of " + request.app() + " is still running; "
                    + "this one was not started. Request it again when that one has finished.");
            return;
        }
        try {
            // the pool's thread logs under the deployment's id too, as the listener's thread did
            pool.execute(() -> {
                try (MDC.MDCCloseable inLogs = MDC.putCloseable("deploymentId", deploymentId)) {
                    deploy(deploymentId, request, app);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            running.remove(request.app(), deploymentId);
            refuse(deploymentId, request, "The deploy-agent is busy with " + pool.getActiveCount()
                    + " deployments and has " + pool.getQueue().size() + " waiting; this one was not started. "
                    + "Request it again later.");
        }
    }

    private void deploy(String deploymentId, DeployRequested request, AppSpec app) {
        PipelineEvent outcome;
        try {
            outcome = provision(deploymentId, request, app);
            if (outcome instanceof EnvironmentProvisioned) {
                // before the next request of the app may start, not only once the event is read back
                onTheirWay.provisioned(request.app(), deploymentId);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            log.warn("Deployment {} of {} was stopped because the deploy-agent is shutting down.", deploymentId,
                    request.app());
            return;
        }
        catch (RuntimeException ex) {
            log.error("Deployment {} of {} broke unexpectedly.", deploymentId, request.app(), ex);
            outcome = new ProvisioningFailed(request.app(), null, request.ref(), "The deploy-agent hit an unexpected "
                    + "error; its log has the details.", null, null, null, null);
        }
        finally {
            running.remove(request.app(), deploymentId);
        }
        report(deploymentId, outcome);
        events.publish(deploymentId, outcome);
    }

    private PipelineEvent provision(String deploymentId, DeployRequested request, AppSpec app)
            throws InterruptedException {
        Colour live;
        try {
            live = liveColours.await(request.app(), app.initialLiveColour(), liveColourTimeout);
        }
        catch (LiveColourUnknownException ex) {
            return new ProvisioningFailed(request.app(), null, request.ref(), ex.getMessage() + " Nothing was "
                    + "deployed.", null, null, null, null);
        }
        String onItsWay = onTheirWay.of(request.app()).orElse(null);
        if (onItsWay != null) {
            return new ProvisioningFailed(request.app(), null, request.ref(), "Deployment " + onItsWay + " of "
                    + request.app() + " was provisioned and is still on its way to traffic (health check, approval or "
                    + "switch); this one was not started, so that it cannot change the droplets traffic may be moving "
                    + "to. Request it again when that one has ended.", null, null, null, null);
        }
        Colour idle = live.other();
        log.info("Deploying {} of {} to {} for deployment {}; {} is live and stays untouched.", request.ref(),
                request.app(), idle, deploymentId, live);
        return provisioner.provision(deploymentId, request, app, idle);
    }

    private void refuse(String deploymentId, DeployRequested request, String reason) {
        ProvisioningFailed refused = new ProvisioningFailed(request.app(), null, request.ref(), reason, null, null,
                null, null);
        report(deploymentId, refused);
        events.publish(deploymentId, refused);
    }

    private static void report(String deploymentId, PipelineEvent outcome) {
        if (outcome instanceof EnvironmentProvisioned provisioned) {
            log.info("Provisioned {} of {} at commit {} for deployment {} in {} ms.", provisioned.colour(),
                    provisioned.app(), provisioned.commit(), deploymentId, provisioned.durationMs());
        }
        else if (outcome instanceof ProvisioningFailed failed) {
            log.warn("Deployment {} of {} failed: {}", deploymentId, failed.app(), failed.reason());
        }
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
