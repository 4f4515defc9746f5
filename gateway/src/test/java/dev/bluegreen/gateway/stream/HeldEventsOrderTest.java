package dev.bluegreen.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;
import reactor.core.publisher.Flux;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppCatalogProperties;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Topics;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.gateway.status.Projections;

/**
 * The consumer reads the history partition by partition; the events a gateway holds for a resume are still the newest
 * by time, in the order they happened, as a subscriber saw them live from the gateway before.
 */
class HeldEventsOrderTest {

    private static final Instant STARTED = Instant.parse("2026-12-05T12:00:00Z");
    private static final TopicPartition SHOP = new TopicPartition(Topics.LIFECYCLE, 0);
    private static final TopicPartition WIKI = new TopicPartition(Topics.LIFECYCLE, 1);

    private final DeploymentProjection projection = Projections.of(new AppCatalog(new AppCatalogProperties(Map.of())));
    private final PipelineHistory history = new PipelineHistory(projection, new KafkaAdmin(Map.of()));
    private final PipelineEventFeed feed = new PipelineEventFeed(projection,
            new StreamProperties(Duration.ofSeconds(15), 256, 3, 1000, 50, Duration.ofSeconds(10)),
            Clock.fixed(STARTED, ZoneOffset.UTC), history);

    @Test
    void aPartitionReadAfterANewerOneDoesNotPushTheNewestEventsOut() {
        Envelope seen = event("shop");
        Envelope missed = event("shop");
        history.expect(Map.of(SHOP, 0L, WIKI, 0L), Map.of(SHOP, 2L, WIKI, 5L));

        feed.onEvent(record(SHOP, 0, 20, seen));
        feed.onEvent(record(SHOP, 1, 21, missed));
        for (int offset = 0; offset < 5; offset++) {
            feed.onEvent(record(WIKI, offset, offset, event("wiki")));
        }

        assertThat(projection.isHistoryRead()).isTrue();
        assertThat(resumedAfter(seen)).containsExactly(missed.id());
    }

    @Test
    void aResumeGetsTheEventsAfterItsOwnInTheOrderTheyHappened() {
        Envelope shopFirst = event("shop");
        Envelope shopSecond = event("shop");
        Envelope wikiFirst = event("wiki");
        Envelope wikiSecond = event("wiki");
        history.expect(Map.of(SHOP, 0L, WIKI, 0L), Map.of(SHOP, 2L, WIKI, 2L));

        feed.onEvent(record(SHOP, 0, 2, shopFirst));
        feed.onEvent(record(SHOP, 1, 6, shopSecond));
        feed.onEvent(record(WIKI, 0, 1, wikiFirst));
        feed.onEvent(record(WIKI, 1, 4, wikiSecond));

        // three are held: the newest by time, shopFirst (2 s), wikiSecond (4 s) and shopSecond (6 s)
        assertThat(resumedAfter(shopFirst)).containsExactly(wikiSecond.id(), shopSecond.id());
        assertThat(feed.eventsAfter(wikiFirst.id())).as("the oldest is no longer held").isEmpty();
    }

    @Test
    void nothingIsHeldForAResumeUntilTheHistoryIsRead() {
        Envelope seen = event("shop");
        history.expect(Map.of(SHOP, 0L), Map.of(SHOP, 2L));

        feed.onEvent(record(SHOP, 0, 5, seen));

        assertThat(feed.eventsAfter(seen.id())).isEmpty();
    }

    private List<String> resumedAfter(Envelope envelope) {
        Optional<Flux<PipelineEventFeed.FeedEvent>> resumed = feed.eventsAfter(envelope.id());
        assertThat(resumed).as("the event resumed after is held").isPresent();
        return resumed.orElseThrow().take(Duration.ofMillis(300)).map(event -> event.envelope().id()).collectList()
                .block();
    }

    private static Envelope event(String app) {
        return Envelope.of("deploy-agent", UUID.randomUUID().toString(),
                new EnvironmentProvisioned(app, Colour.GREEN, "v9", "9b9b9b9", List.of(102L), 40_000));
    }

    /** A record of the history, made {@code secondsIn} seconds into the hour before the gateway started. */
    private static ConsumerRecord<String, Envelope> record(TopicPartition partition, long offset, int secondsIn,
            Envelope envelope) {
        long timestamp = STARTED.minus(Duration.ofHours(1)).plusSeconds(secondsIn).toEpochMilli();
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, timestamp,
                TimestampType.CREATE_TIME, -1, -1, envelope.subject(), envelope, new RecordHeaders(), Optional.empty());
    }
}
