package dev.bluegreen.pipeline;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * For Kafka Streams: a record that does not read as an envelope goes to its topic's dead-letter topic with its
 * original bytes, is logged and counted as every service's dead letters are, and the stream carries on with the next
 * record. Kafka Streams makes this class by name; the dead-letter publisher comes in its settings under
 * {@value #PUBLISHER}.
 */
public final class StreamsDeadLetters implements DeserializationExceptionHandler {

    /** The settings key under which a stream's settings carry the service's dead-letter publisher. */
    public static final String PUBLISHER = "bluegreen.dead-letters.publisher";

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> settings) {
        Object publisher = settings.get(PUBLISHER);
        if (!(publisher instanceof DeadLetterPublisher given)) {
            throw new IllegalStateException("A stream that dead-letters needs the service's dead-letter publisher "
                    + "under " + PUBLISHER);
        }
        this.deadLetters = given.recoverer();
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        deadLetters.accept(record, null, exception);
        return DeserializationHandlerResponse.CONTINUE;
    }

    /** The settings a stream needs to dead-letter through {@code publisher}. */
    public static Map<String, Object> settings(Object publisher) {
        return Map.of(PUBLISHER, publisher,
                "default.deserialization.exception.handler", StreamsDeadLetters.class.getName());
    }
}
