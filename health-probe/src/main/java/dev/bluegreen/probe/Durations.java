package dev.bluegreen.probe;

import java.time.Duration;

/** Durations as people write them in a sentence: "500 ms", "20 s", "2 min". */
public final class Durations {

    private Durations() {
    }

    public static String inWords(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + " ms";
        }
        if (duration.toSecondsPart() != 0) {
            return duration.toSeconds() + " s";
        }
        return duration.toMinutes() + " min";
    }
}
