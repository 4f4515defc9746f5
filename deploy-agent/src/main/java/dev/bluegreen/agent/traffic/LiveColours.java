package dev.bluegreen.agent.traffic;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Topics;

/**
 * Which colour of each app takes the traffic, as the traffic-router last reported it. The agent reads the router's
 * events from the beginning on every start, so it does not need a store of its own.
 */
@Component
public class LiveColours {

    private final TrafficTopic trafficTopic;

    private final Map<String, Colour> reported = new ConcurrentHashMap<>();

    /** Guarded by {@code this}: how far the traffic topic has been read, partition by partition. */
    private final Map<TopicPartition, Long> read = new HashMap<>();

    LiveColours(TrafficTopic trafficTopic) {
        this.trafficTopic = trafficTopic;
    }

    /**
     * The live colour of the app, once every traffic switch recorded up to now has been read: the colour of the last
     * switch or rollback, or {@code initial} when there was none.
     *
     * @throws LiveColourUnknownException when the switches recorded so far could not be read within {@code timeout}
     */
    public Colour await(String app, Colour initial, Duration timeout)
            throws LiveColourUnknownException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = trafficTopic.endsOfRecordedSwitches();
        synchronized (this) {
            while (!hasRead(ends)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LiveColourUnknownException("The deploy-agent could not read the traffic switches of "
                            + Topics.TRAFFIC + " within " + timeout.toString().substring(2).toLowerCase(Locale.ROOT)
                            + ", so it cannot tell which colour of " + app + " is live.");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return reported.getOrDefault(app, initial);
    }

    void reported(String app, Colour live) {
        reported.put(app, live);
    }

    synchronized void readUpTo(TopicPartition partition, long position) {
        read.merge(partition, position, Math::max);
        notifyAll();
    }

    private boolean hasRead(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> read.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }
}
