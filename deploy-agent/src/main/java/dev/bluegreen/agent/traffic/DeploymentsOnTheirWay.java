package dev.bluegreen.agent.traffic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Deployments that were provisioned and are still on their way to traffic: the health-monitor, an approval or the
 * traffic-router has not decided on them yet. While one is, a new deployment of that app must not touch the idle
 * droplets, which traffic may be moving to right now. The agent learns the decisions from the pipeline's topics,
 * read from the beginning on every start; as those topics are read in no set order, a decision may arrive before
 * the provisioning it ends, and is remembered for that case.
 */
@Component
public class DeploymentsOnTheirWay {

    private static final int REMEMBERED_DECISIONS = 10_000;

    /** Guarded by {@code this}. */
    private final Map<String, String> onTheirWay = new ConcurrentHashMap<>();

    /** Guarded by {@code this}. */
    private final Set<String> decided = Collections.newSetFromMap(new LinkedHashMap<String, Boolean>() {

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_DECISIONS;
        }
    });

    /** The idle colour of {@code app} was provisioned for {@code deploymentId}. */
    public synchronized void provisioned(String app, String deploymentId) {
        if (!decided.contains(deploymentId)) {
            onTheirWay.put(app, deploymentId);
        }
    }

    /** The pipeline decided on {@code deploymentId}: unhealthy, switched to, or the switch failed. */
    synchronized void decided(String app, String deploymentId) {
        decided.add(deploymentId);
        onTheirWay.remove(app, deploymentId);
    }

    /** The deployment of {@code app} still on its way to traffic, if there is one. */
    public synchronized Optional<String> of(String app) {
        return Optional.ofNullable(onTheirWay.get(app));
    }
}
