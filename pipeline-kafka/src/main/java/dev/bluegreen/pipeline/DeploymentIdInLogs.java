package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

import dev.bluegreen.events.Envelope;

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
        String deploymentId = deploymentId(record);
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

    private static @Nullable String deploymentId(ConsumerRecord<Object, Object> record) {
        Header header = record.headers().lastHeader(DeploymentIdHeader.NAME);
        if (header != null && header.value() != null) {
            return new String(header.value(), StandardCharsets.UTF_8);
        }
        return record.value() instanceof Envelope envelope ? envelope.deploymentId() : null;
    }
}
