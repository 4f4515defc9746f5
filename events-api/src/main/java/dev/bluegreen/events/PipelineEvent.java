package dev.bluegreen.events;

/**
 * An event of the deployment pipeline: the {@code data} of an {@link Envelope}.
 * Every event names the app it is about; the envelope's subject is that app.
 */
public sealed interface PipelineEvent permits DeployRequested, DeploymentStarted, DeploymentLog,
        EnvironmentProvisioned, ProvisioningFailed, EnvironmentHealthy, EnvironmentUnhealthy, AwaitingPromotion,
        PromoteRequested, TrafficSwitched, SwitchFailed, RollbackRequested, RolledBack, CancelRequested,
        DeploymentExpired, RequestRefused, DriftDetected {

    String app();
}
