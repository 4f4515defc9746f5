package dev.bluegreen.events;

import java.util.List;

/**
 * The Kafka topics of the pipeline. Every record's key is the app's name.
 *
 * <p>Every event that changes an app's lifecycle goes to one topic, {@link #LIFECYCLE}, so that one app's requests,
 * outcomes and decisions stay in one order that every service reads alike: Kafka orders records only within one
 * partition of one topic. Consumers select the events they need by type.
 */
public final class Topics {

    /**
     * Every request (deploy, rollback, promote, cancel), outcome (provisioned, healthy, switched, failed, expired) and
     * decision of every app, keyed by app: the one ordered history each service folds into an app's state.
     */
    public static final String LIFECYCLE = "bluegreen.lifecycle";

    /**
     * DeploymentLog: the deploy steps' output while they run, from the deploy-agent. Many small records; it changes
     * no app's state, so it keeps a topic of its own.
     */
    public static final String DEPLOYMENT_LOGS = "bluegreen.deployment-logs";

    /**
     * Each app's state as of the last lifecycle event, keyed by app and compacted: what survives when the lifecycle
     * topic's retention has deleted the events it was folded from. Written by the gateway, read by anyone.
     */
    public static final String APP_STATES = "bluegreen.app-states";

    /** The topics whose records are events in envelopes: what a reader of the pipeline's events subscribes to. */
    public static final List<String> EVENTS = List.of(LIFECYCLE, DEPLOYMENT_LOGS);

    /** Every pipeline topic. */
    public static final List<String> ALL = List.of(LIFECYCLE, DEPLOYMENT_LOGS, APP_STATES);

    private Topics() {
    }
}
