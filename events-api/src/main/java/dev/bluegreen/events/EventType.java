package dev.bluegreen.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of events: each one's stable wire name, its current version, its record and its topic.
 * The wire name never changes with a Java rename.
 */
public enum EventType {
    DEPLOY_REQUESTED("DeployRequested", 1, DeployRequested.class, Topics.DEPLOY_REQUESTS),
    DEPLOYMENT_STARTED("DeploymentStarted", 1, DeploymentStarted.class, Topics.PROVISIONING),
    DEPLOYMENT_LOG("DeploymentLog", 1, DeploymentLog.class, Topics.DEPLOYMENT_LOGS),
    ENVIRONMENT_PROVISIONED("EnvironmentProvisioned", 1, EnvironmentProvisioned.class, Topics.PROVISIONING),
    PROVISIONING_FAILED("ProvisioningFailed", 1, ProvisioningFailed.class, Topics.PROVISIONING),
    ENVIRONMENT_HEALTHY("EnvironmentHealthy", 1, EnvironmentHealthy.class, Topics.HEALTH),
    ENVIRONMENT_UNHEALTHY("EnvironmentUnhealthy", 1, EnvironmentUnhealthy.class, Topics.HEALTH),
    AWAITING_PROMOTION("AwaitingPromotion", 1, AwaitingPromotion.class, Topics.TRAFFIC),
    PROMOTE_REQUESTED("PromoteRequested", 1, PromoteRequested.class, Topics.PROMOTE_REQUESTS),
    TRAFFIC_SWITCHED("TrafficSwitched", 1, TrafficSwitched.class, Topics.TRAFFIC),
    SWITCH_FAILED("SwitchFailed", 1, SwitchFailed.class, Topics.TRAFFIC),
    ROLLBACK_REQUESTED("RollbackRequested", 1, RollbackRequested.class, Topics.ROLLBACK_REQUESTS),
    ROLLED_BACK("RolledBack", 1, RolledBack.class, Topics.TRAFFIC);

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
