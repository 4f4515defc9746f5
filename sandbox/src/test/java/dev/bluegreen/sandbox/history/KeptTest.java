package dev.bluegreen.sandbox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class KeptTest {

    @Test
    void aListOfFaultsKeepsTheFirstOnesAndCountsAll() {
        Kept<Integer> faults = Kept.first(3);

        IntStream.rangeClosed(1, 5).forEach(faults::add);

        assertThat(faults.items()).containsExactly(1, 2, 3);
        assertThat(faults.count()).isEqualTo(5);
    }

    @Test
    void aTimelineKeepsTheLatestOnesAndCountsAll() {
        Kept<Integer> timeline = Kept.latest(3);

        IntStream.rangeClosed(1, 5).forEach(timeline::add);

        assertThat(timeline.items()).containsExactly(3, 4, 5);
        assertThat(timeline.last()).isEqualTo(5);
        assertThat(timeline.count()).isEqualTo(5);
    }
}
