package dev.bluegreen.gateway.stream;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.bluegreen.pipeline.SkippedRecords;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The event feed's error handling. The feed reads its topics from the beginning on each start, under a consumer
 * group of its own, so dead-lettering a record it cannot read would copy the same record to its topic's DLT again on
 * every start of every gateway: it logs and skips it instead, and counts it as read. The gateway's chat notifier has
 * a stable group and dead-letters as every other listener does.
 */
@Component(SkipOnReplay.BEAN_NAME)
class SkipOnReplay
        implements ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {

    static final String BEAN_NAME = "skipOnReplay";

    private final MeterRegistry meters;
    private final PipelineHistory history;

    SkipOnReplay(MeterRegistry meters, PipelineHistory history) {
        this.meters = meters;
        this.history = history;
    }

    @Override
    public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
        container.setCommonErrorHandler(SkippedRecords.errorHandler(meters, record ->
                history.read(new TopicPartition(record.topic(), record.partition()), record.offset() + 1)));
    }
}
