package dev.bluegreen.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * While a listener handles a record, the record's deployment id is in the logging context as {@value #MDC_KEY}, so
 * every line the listener logs names the deployment. It comes from the {@link DeploymentIdHeader} header, or from
 * the envelope for a record published without it.
 */
final class DeploymentIdInLogs implements RecordInterceptor<Object, Object> {

    static final String MDC_KEY = "deploymentId";

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        String deploymentId = DeploymentIdHeader.read(record);
        if (deploymentId != null) {
            MDC.put(MDC_KEY, deploymentId);
        }
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        MDC.remove(MDC_KEY);
    }

    @Override
    public void clearThreadState(Consumer<?, ?> consumer) {
        MDC.remove(MDC_KEY);
    }
}
