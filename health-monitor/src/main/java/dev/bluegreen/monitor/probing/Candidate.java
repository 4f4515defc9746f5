package dev.bluegreen.monitor.probing;

import java.util.Objects;

import dev.bluegreen.events.Colour;
import dev.bluegreen.lifecycle.Operation;

/**
 * A deployment's freshly provisioned colour, as the app's history records it: what a health check checks, and what
 * its verdict names.
 */
record Candidate(String app, String deploymentId, Colour colour, String ref, String commit) {

    static Candidate of(String app, Operation deployment) {
        // a deployment has its ref from the request and its commit from EnvironmentProvisioned before it is checked
        return new Candidate(app, deployment.id(), deployment.target(),
                Objects.requireNonNullElse(deployment.ref(), ""), Objects.requireNonNullElse(deployment.commit(), ""));
    }
}
