package dev.bluegreen.pipeline;

import reactor.util.context.Context;

/**
 * The deployment id for the log lines of work handed to Reactor: probes and switches run on WebClient, reactor-netty
 * and scheduler threads, where the listener's MDC is not. Write this into the Context of the Mono that does a
 * deployment's work,
 * <pre>{@code
 * check(provisioned)
 *         .doOnNext(verdict -> log.info("{} is healthy for deployment {}.", app, deploymentId))
 *         .contextWrite(DeploymentLogContext.of(deploymentId))
 *         .subscribe();
 * }</pre>
 * and every line the steps above it log, on whichever thread, reads {@code INFO [d-7f3a] ...} like the listener's
 * own. Below {@code contextWrite}, the subscriber's callbacks included, Reactor puts the MDC back as it was: log in
 * the steps above it. Reactor's automatic context propagation does the copying
 * ({@code spring.reactor.context-propagation=auto}, a default of every service), through the accessor this jar
 * registers.
 */
public final class DeploymentLogContext {

    /** The logging context's key for the deployment id, as the log pattern names it. */
    public static final String MDC_KEY = DeploymentIdInLogs.MDC_KEY;

    private DeploymentLogContext() {
    }

    public static Context of(String deploymentId) {
        return Context.of(DeploymentIdInLogs.MDC_KEY, deploymentId);
    }
}
