package dev.bluegreen.trafficplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.bluegreen.digitalocean.HealthMetrics;
import dev.bluegreen.digitalocean.HealthMetrics.Sample;

/** Only a sample taken since the droplets were added, and recently, says whether they pass. */
class HealthReadingTest {

    private static final Instant ADDED = Instant.parse("2026-08-07T12:00:00Z");
    private static final Instant NOW = ADDED.plusSeconds(20);
    private static final Duration STALE = Duration.ofSeconds(12);
    private static final List<Long> NEW = List.of(101L, 102L);

    @Test
    void currentPassingSamplesOfEveryNewDropletConfirmThem() {
        HealthReading reading = read(Map.of(101L, new Sample(NOW.minusSeconds(1), true),
                102L, new Sample(NOW.minusSeconds(2), true)));

        assertThat(reading.allPassing()).isTrue();
        assertThat(reading.describePassing()).isEqualTo("droplets 101, 102 passing");
    }

    @Test
    void aCurrentFailingSampleIsTheBalancersWordThatADropletDoesNotServeYet() {
        HealthReading reading = read(Map.of(101L, new Sample(NOW.minusSeconds(1), true),
                102L, new Sample(NOW.minusSeconds(1), false)));

        assertThat(reading.allPassing()).isFalse();
        assertThat(reading.namesNone()).isFalse();
        assertThat(reading.notPassing()).containsExactly(102L);
    }

    @Test
    void aPassingSampleFromBeforeTheDropletsWereAddedSaysNothing() {
        // a droplet taken out and added back: its series still ends with the time it served before
        HealthReading reading = read(Map.of(101L, new Sample(ADDED.minusSeconds(5), true),
                102L, new Sample(ADDED.minusSeconds(5), true)));

        assertThat(reading.allPassing()).isFalse();
        assertThat(reading.namesNone()).isTrue();
    }

    @Test
    void aSampleMinutesOldSaysNothingAndTheReasonSaysHowOld() {
        Instant later = ADDED.plusSeconds(400);
        HealthReading reading = HealthReading.of(new HealthMetrics(Map.of(101L, new Sample(ADDED.plusSeconds(100),
                true)), 0, List.of()), NEW, ADDED, later, STALE);

        assertThat(reading.namesNone()).isTrue();
        assertThat(reading.silence()).isEqualTo("the latest sample of droplet 101 is 300 s old");
    }

    @Test
    void seriesLabelledOtherwiseAreNamedInTheReason() {
        HealthReading reading = HealthReading.of(new HealthMetrics(Map.of(), 2, List.of("instance", "lb_id")), NEW,
                ADDED, NOW, STALE);

        assertThat(reading.namesNone()).isTrue();
        assertThat(reading.silence()).isEqualTo("its series are labelled instance, lb_id, not by droplet id");
    }

    private static HealthReading read(Map<Long, Sample> samples) {
        return HealthReading.of(new HealthMetrics(samples, 0, List.of()), NEW, ADDED, NOW, STALE);
    }
}
