package dev.bluegreen.agent.traffic;

import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.stereotype.Component;

/**
 * Makes a listener container commit no offsets: manual acknowledgement, and the listener never acknowledges. For
 * a listener that reads its topic from the beginning every time, under a group id used once.
 */
@Component(NeverCommitOffsets.BEAN_NAME)
class NeverCommitOffsets
        implements ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {

    static final String BEAN_NAME = "neverCommitOffsets";

    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.getContainerProperties().setAckMode(AckMode.MANUAL);
    }
}
