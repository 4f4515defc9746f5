package dev.bluegreen.events;

import java.util.List;

/**
 * The Kafka topics of the pipeline. Every record's key is the app's name, so one app's events stay in order.
 */
public final class Topics {

    /** DeployRequested: from the gateway (or anyone) to the deploy-agent. */
    public static final String DEPLOY_REQUESTS = "bluegreen.deploy-requests";

    /** DeploymentStarted, EnvironmentProvisioned and ProvisioningFailed: from the deploy-agent. */
    public static final String PROVISIONING = "bluegreen.provisioning";

    /** DeploymentLog: the deploy steps' output while they run, from the deploy-agent. Many small records. */
    public static final String DEPLOYMENT_LOGS = "bluegreen.deployment-logs";

    /** EnvironmentHealthy and EnvironmentUnhealthy: from the health-monitor. */
    public static final String HEALTH = "bluegreen.health";

    /** RollbackRequested: from the gateway, or from the health-monitor on its own. */
    public static final String ROLLBACK_REQUESTS = "bluegreen.rollback-requests";

    /** PromoteRequested: a person's or CI's approval of a switch that waits for one, from the gateway. */
    public static final String PROMOTE_REQUESTS = "bluegreen.promote-requests";

    /**
     * AwaitingPromotion, TrafficSwitched, SwitchFailed and RolledBack: from the traffic-router; monitoring tools
     * subscribe here.
     */
    public static final String TRAFFIC = "bluegreen.traffic";

    /** Every pipeline topic, in the order a deployment passes through them. */
    public static final List<String> ALL = List.of(DEPLOY_REQUESTS, PROVISIONING, DEPLOYMENT_LOGS, HEALTH,
            PROMOTE_REQUESTS, ROLLBACK_REQUESTS, TRAFFIC);

    private Topics() {
    }
}
