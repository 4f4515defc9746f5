package dev.bluegreen.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of events: each one's stable wire name, its current version, its record and its topic.
 * The wire name never changes with a Java rename. Every event but DeploymentLog is a lifecycle event: it goes to
 * {@link Topics#LIFECYCLE}.
 */
public enum EventType {
    DEPLOY_REQUESTED("DeployRequested", 1, DeployRequested.class, Topics.LIFECYCLE),
    DEPLOYMENT_STARTED("DeploymentStarted", 1, DeploymentStarted.class, Topics.LIFECYCLE),
    DEPLOYMENT_LOG("DeploymentLog", 1, DeploymentLog.class, Topics.DEPLOYMENT_LOGS),
    ENVIRONMENT_PROVISIONED("EnvironmentProvisioned", 1, EnvironmentProvisioned.class, Topics.LIFECYCLE),
    PROVISIONING_FAILED("ProvisioningFailed", 1, ProvisioningFailed.class, Topics.LIFECYCLE),
    ENVIRONMENT_HEALTHY("EnvironmentHealthy", 1, EnvironmentHealthy.class, Topics.LIFECYCLE),
    ENVIRONMENT_UNHEALTHY("EnvironmentUnhealthy", 1, EnvironmentUnhealthy.class, Topics.LIFECYCLE),
    AWAITING_PROMOTION("AwaitingPromotion", 1, AwaitingPromotion.class, Topics.LIFECYCLE),
    PROMOTE_REQUESTED("PromoteRequested", 1, PromoteRequested.class, Topics.LIFECYCLE),
    TRAFFIC_SWITCHED("TrafficSwitched", 1, TrafficSwitched.class, Topics.LIFECYCLE),
    SWITCH_FAILED("SwitchFailed", 1, SwitchFailed.class, Topics.LIFECYCLE),
    ROLLBACK_REQUESTED("RollbackRequested", 1, RollbackRequested.class, Topics.LIFECYCLE),
    ROLLED_BACK("RolledBack", 1, RolledBack.class, Topics.LIFECYCLE),
    CANCEL_REQUESTED("CancelRequested", 1, CancelRequested.class, Topics.LIFECYCLE),
    DEPLOYMENT_EXPIRED("DeploymentExpired", 1, DeploymentExpired.class, Topics.LIFECYCLE),
    REQUEST_REFUSED("RequestRefused", 1, RequestRefused.class, Topics.LIFECYCLE),
    DRIFT_DETECTED("DriftDetected", 1, DriftDetected.class, Topics.LIFECYCLE);

    private final String wireName;
    private final int version;
    private final Class<? extends PipelineEvent> eventClass;
    private final String topic;

    EventType(String wireName, int version, Class<? extends PipelineEvent> eventClass, String topic) {
        this.wireName = wireName;
        this.version = version;
        this.eventClass = eventClass;
        this.topic = topic;
    }

    public String wireName() {
        return wireName;
    }

    public int version() {
        return version;
    }

    public Class<? extends PipelineEvent> eventClass() {
        return eventClass;
    }

    public String topic() {
        return topic;
    }

    /** Whether the event belongs to an app's ordered lifecycle history (everything but step output). */
    public boolean lifecycle() {
        return Topics.LIFECYCLE.equals(topic);
    }

    public static EventType of(PipelineEvent event) {
        return Arrays.stream(values())
                .filter(type -> type.eventClass == event.getClass())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No event type for " + event.getClass()));
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
