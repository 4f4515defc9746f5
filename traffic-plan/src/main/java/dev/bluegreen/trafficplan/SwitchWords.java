package dev.bluegreen.trafficplan;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How droplet ids, durations and failures are written in a switch's reasons and plans, so that the traffic-router's
 * events and logs and the preflight's dry run read alike.
 */
public final class SwitchWords {

    private SwitchWords() {
    }

    /** A failure's message without its closing full stop, to go inside a sentence. */
    public static String why(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    /** Such as "101, 102". */
    public static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Such as "5 s", or "250 ms" when it is no whole number of seconds. */
    public static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
