package dev.bluegreen.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StoredSamplesTest {

    /**
     * Samples of optional fields added within a version, besides the version's first sample ({@code <type>.json}),
     * which keeps showing the event as it was first published.
     */
    private static final Map<EventType, List<String>> LATER_SAMPLES = Map.of(
            EventType.AWAITING_PROMOTION, List.of("AwaitingPromotion.preview"),
            EventType.DEPLOY_REQUESTED, List.of("DeployRequested.actor"),
            EventType.ROLLBACK_REQUESTED, List.of("RollbackRequested.actor"),
            EventType.PROMOTE_REQUESTED, List.of("PromoteRequested.actor"),
            EventType.CANCEL_REQUESTED, List.of("CancelRequested.actor"));

    private final EnvelopeCodec codec = new EnvelopeCodec();

    static Stream<Arguments> samples() {
        return Arrays.stream(EventType.values()).flatMap(type -> Stream.concat(Stream.of(type.wireName()),
                LATER_SAMPLES.getOrDefault(type, List.of()).stream()).map(name -> Arguments.of(type, name)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("samples")
    void everyPublishedVersionOfEveryEventStillReadsFromItsStoredSample(EventType type, String name)
            throws IOException {
        Envelope envelope = codec.read(sample(type, name));

        assertThat(envelope.type()).isEqualTo(type.wireName());
        assertThat(envelope.data()).isInstanceOf(type.eventClass());
        assertThat(envelope.subject()).isEqualTo(envelope.data().app());
        assertThat(envelope.topic()).isEqualTo(type.topic());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("samples")
    void aSampleWrittenAgainReadsAsTheSameEnvelope(EventType type, String name) throws IOException {
        Envelope envelope = codec.read(sample(type, name));

        assertThat(codec.read(codec.write(envelope))).isEqualTo(envelope);
    }

    @Test
    void anAwaitingPromotionPublishedBeforeThePreviewWasAddedReadsWithoutOne() throws IOException {
        AwaitingPromotion awaiting = codec.read(sample(EventType.AWAITING_PROMOTION, "AwaitingPromotion"))
                .dataAs(AwaitingPromotion.class);

        assertThat(awaiting).isEqualTo(new AwaitingPromotion("shop", Colour.BLUE, Colour.GREEN));
        assertThat(awaiting.preview()).isNull();
    }

    @Test
    void anAwaitingPromotionWithAPreviewReadsEachDropletsAddressAndUrl() throws IOException {
        AwaitingPromotion awaiting = codec.read(sample(EventType.AWAITING_PROMOTION, "AwaitingPromotion.preview"))
                .dataAs(AwaitingPromotion.class);

        assertThat(awaiting.preview()).containsExactly(
                new PreviewDroplet(3164450, "10.10.0.6", "http://10.10.0.6:80"),
                new PreviewDroplet(3164451, "10.10.0.7", "http://10.10.0.7:80"));
    }

    @Test
    void requestsPublishedBeforeTheActorWasAddedReadWithoutOne() throws IOException {
        assertThat(codec.read(sample(EventType.DEPLOY_REQUESTED, "DeployRequested")).dataAs(DeployRequested.class))
                .isEqualTo(new DeployRequested("shop", "v2", null, "alice"))
                .extracting(DeployRequested::actor).isNull();
        assertThat(codec.read(sample(EventType.ROLLBACK_REQUESTED, "RollbackRequested"))
                .dataAs(RollbackRequested.class).actor()).isNull();
        assertThat(codec.read(sample(EventType.PROMOTE_REQUESTED, "PromoteRequested"))
                .dataAs(PromoteRequested.class).actor()).isNull();
        assertThat(codec.read(sample(EventType.CANCEL_REQUESTED, "CancelRequested"))
                .dataAs(CancelRequested.class).actor()).isNull();
    }

    @Test
    void requestsWithAnActorKeepTheTokensNameApartFromWhoTheBodySaysAsked() throws IOException {
        assertThat(codec.read(sample(EventType.DEPLOY_REQUESTED, "DeployRequested.actor"))
                .dataAs(DeployRequested.class)).isEqualTo(new DeployRequested("shop", "v3", null, "alice", "ci-shop"));
        assertThat(codec.read(sample(EventType.ROLLBACK_REQUESTED, "RollbackRequested.actor"))
                .dataAs(RollbackRequested.class))
                .isEqualTo(new RollbackRequested("shop", "bob", "checkout page slow", null, "ci-shop"));
        assertThat(codec.read(sample(EventType.PROMOTE_REQUESTED, "PromoteRequested.actor"))
                .dataAs(PromoteRequested.class)).isEqualTo(new PromoteRequested("shop", "carol", "ci-shop"));
        assertThat(codec.read(sample(EventType.CANCEL_REQUESTED, "CancelRequested.actor"))
                .dataAs(CancelRequested.class)).isEqualTo(new CancelRequested("shop", "dave",
                        "the acceptance tests failed against the preview", "ci-shop"));
    }

    private byte[] sample(EventType type, String name) throws IOException {
        String path = "/samples/v" + type.version() + "/" + name + ".json";
        try (InputStream in = getClass().getResourceAsStream(path)) {
            assertThat(in).as("stored sample %s", path).isNotNull();
            return in.readAllBytes();
        }
    }
}
