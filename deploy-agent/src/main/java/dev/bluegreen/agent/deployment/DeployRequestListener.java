package dev.bluegreen.agent.deployment;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;

/** Hands every deploy request to {@link Deployments}, which returns at once. */
@Component
class DeployRequestListener {

    private static final Logger log = LoggerFactory.getLogger(DeployRequestListener.class);

    /** Started by {@link Recovery} once the earlier deployments are known, not with the application. */
    static final String ID = "deploy-agent-deploy-requests";

    private final Deployments deployments;

    DeployRequestListener(Deployments deployments) {
        this.deployments = deployments;
    }

    @KafkaListener(id = ID, topics = Topics.DEPLOY_REQUESTS, idIsGroup = false, autoStartup = "false")
    void onDeployRequest(@Payload(required = false) @Nullable Envelope envelope) {
        if (envelope == null) {
            log.warn("Ignored an empty record on {}.", Topics.DEPLOY_REQUESTS);
        }
        else if (envelope.data() instanceof DeployRequested request) {
            log.info("Deployment {} of {} requested by {}: ref {}.", envelope.deploymentId(), request.app(),
                    request.requestedBy(), request.ref());
            deployments.request(envelope.deploymentId(), request);
        }
        else {
            log.warn("Ignored a {} event of {} on {}: only deploy requests belong there.", envelope.type(),
                    envelope.subject(), Topics.DEPLOY_REQUESTS);
        }
    }
}
