package dev.bluegreen.pipeline;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailedRecordTest {

    @Test
    void namesTheAppOfARecordKafkaStreamsHandsOverAsBytes() {
        ConsumerRecord<byte[], byte[]> unread = new ConsumerRecord<>("bluegreen.lifecycle", 3, 28,
                "shop".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));

        assertThat(FailedRecord.describe(unread))
                .isEqualTo("bluegreen.lifecycle-3@28 (app shop, deployment unknown)");
    }

    @Test
    void namesTheAppOfARecordReadWithItsKey() {
        ConsumerRecord<String, String> read = new ConsumerRecord<>("bluegreen.lifecycle", 0, 7, "shop", "{}");

        assertThat(FailedRecord.describe(read)).isEqualTo("bluegreen.lifecycle-0@7 (app shop, deployment unknown)");
    }
}
