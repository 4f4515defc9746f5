package dev.bluegreen.agent.deployment;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;

/**
 * What the agent's own events say about earlier deployments, read by {@link Recovery} from the beginning of the
 * provisioning and deployment-log topics on every start: which deployments started, which ended, and the last step
 * each one was seen at; and, from the deploy requests the agent's group had consumed, which it took on. Thread-safe.
 */
@Component
class DeploymentHistory {

    /** A deployment that started and has not ended (yet), and where it was last seen. */
    record Unfinished(String deploymentId, DeploymentStarted started, @Nullable String lastStep,
            @Nullable Long lastDroplet) {
    }

    /** A deploy request the agent took on and never started: it waited for a free slot when the agent stopped. */
    record Unstarted(String deploymentId, DeployRequested request) {
    }

    private final Map<String, DeployRequested> requested = new LinkedHashMap<>();

    private final Map<String, DeploymentStarted> started = new LinkedHashMap<>();

    private final Set<String> ended = new HashSet<>();

    private final Map<String, Map.Entry<String, Long>> lastSeenAt = new HashMap<>();

    /** The agent took this request on (its offset was committed) in an earlier run. */
    synchronized void requested(String deploymentId, DeployRequested request) {
        requested.put(deploymentId, request);
    }

    synchronized void started(String deploymentId, DeploymentStarted start) {
        started.put(deploymentId, start);
    }

    synchronized void ended(String deploymentId) {
        ended.add(deploymentId);
        lastSeenAt.remove(deploymentId);
    }

    synchronized void logged(String deploymentId, String step, long dropletId) {
        if (!ended.contains(deploymentId)) {
            lastSeenAt.put(deploymentId, Map.entry(step, dropletId));
        }
    }

    /** Learns from one of the agent's own events. */
    void learn(String deploymentId, PipelineEvent event) {
        if (event instanceof DeploymentStarted start) {
            started(deploymentId, start);
        }
        else if (event instanceof EnvironmentProvisioned || event instanceof ProvisioningFailed) {
            ended(deploymentId);
        }
        else if (event instanceof DeploymentLog log) {
            logged(deploymentId, log.step(), log.dropletId());
        }
    }

    /** Whether the deployment started or ended before: a request for it is not run again. */
    synchronized boolean knows(String deploymentId) {
        return started.containsKey(deploymentId) || ended.contains(deploymentId);
    }

    synchronized Set<String> known() {
        Set<String> known = new HashSet<>(started.keySet());
        known.addAll(ended);
        return known;
    }

    /** Requests taken on that neither started nor ended; requests without an app had no one to tell and are left. */
    synchronized java.util.List<Unstarted> unstarted() {
        return requested.entrySet().stream()
                .filter(entry -> !started.containsKey(entry.getKey()) && !ended.contains(entry.getKey()))
                .filter(entry -> entry.getValue().app() != null && !entry.getValue().app().isBlank())
                .map(entry -> new Unstarted(entry.getKey(), entry.getValue()))
                .toList();
    }

    synchronized java.util.List<Unfinished> unfinished() {
        return started.entrySet().stream().filter(entry -> !ended.contains(entry.getKey()))
                .map(entry -> {
                    Map.Entry<String, Long> at = lastSeenAt.get(entry.getKey());
                    return new Unfinished(entry.getKey(), entry.getValue(), at == null ? null : at.getKey(),
                            at == null ? null : at.getValue());
                })
                .toList();
    }
}
