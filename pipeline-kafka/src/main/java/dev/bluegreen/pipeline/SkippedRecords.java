package dev.bluegreen.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The error handler for a listener that reads its topics from the beginning on every start, under a consumer group
 * of its own (a feed, a projection): a record it cannot handle is logged and skipped at once, neither retried nor
 * dead-lettered, and counted in {@code bluegreen.skipped.records{topic}}. Dead-lettering would copy the same record
 * to {@code <topic>.DLT} again on every start; the listeners with a stable group, which read each record once,
 * dead-letter it already. Set it on such a listener's container only, for instance from a
 * {@code ContainerPostProcessor} named in its {@code @KafkaListener}; every other listener keeps the default handler.
 */
public final class SkippedRecords implements ConsumerAwareRecordRecoverer {

    static final String COUNTER = "bluegreen.skipped.records";

    /**
     * The name of a container post-processor every service has, for {@code @KafkaListener(containerPostProcessor =
     * SkippedRecords.ON_REPLAY)}: it gives that listener's container this error handler.
     */
    public static final String ON_REPLAY = "skipUnhandledOnReplay";

    private static final Logger log = LoggerFactory.getLogger(SkippedRecords.class);

    private final MeterRegistry meters;
    private final java.util.function.Consumer<ConsumerRecord<?, ?>> afterSkip;

    private SkippedRecords(MeterRegistry meters, java.util.function.Consumer<ConsumerRecord<?, ?>> afterSkip) {
        this.meters = meters;
        this.afterSkip = afterSkip;
    }

    /**
     * @param afterSkip told of each record once it is skipped, on the consumer's thread: a listener that tracks how
     *     far it has read counts the record as read here, as it never reaches the listener
     */
    public static CommonErrorHandler errorHandler(MeterRegistry meters,
            java.util.function.Consumer<ConsumerRecord<?, ?>> afterSkip) {
        // no retries: the same record fails the same way on the next start, and nothing waits on it meanwhile
        return new DefaultErrorHandler(new SkippedRecords(meters, afterSkip), new FixedBackOff(0L, 0L));
    }

    public static CommonErrorHandler errorHandler(MeterRegistry meters) {
        return errorHandler(meters, record -> {
        });
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Consumer<?, ?> consumer, @Nullable Exception ex) {
        counter(record.topic()).increment();
        log.warn("Record {} could not be handled by {} and was skipped, not dead-lettered, as that group reads its "
                + "topics again on every start: {}", FailedRecord.describe(record), FailedRecord.group(consumer),
                FailedRecord.reason(ex));
        afterSkip.accept(record);
    }

    Counter counter(String topic) {
        return Counter.builder(COUNTER)
                .description("Records skipped by a listener that replays its topics, by topic")
                .tag("topic", topic).register(meters);
    }
}
