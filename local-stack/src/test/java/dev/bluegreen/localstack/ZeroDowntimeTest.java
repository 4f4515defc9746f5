package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.KafkaFixture;

/**
 * A short run of the zero-downtime benchmark ({@link ZeroDowntimeBenchmark}): no request through the load balancer
 * fails while bluegreen moves traffic back and forth. Latency is the benchmark's business, not this test's.
 */
class ZeroDowntimeTest {

    @TempDir
    static Path work;

    private static LocalStack stack;
    private static Timeline timeline;

    @BeforeAll
    static void startTheWholeSystem() throws Exception {
        stack = LocalStack.start(new LocalStackSettings(work, LocalStackSettings.Ports.ANY_FREE,
                KafkaFixture.bootstrapServers(), SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox"))
                        .withAppName("pipeline-" + java.util.UUID.randomUUID().toString().substring(0, 8)).withBusyWindow(LocalStack.BUSY_WINDOW)),
                line -> { });
        timeline = Timeline.follow(stack.bootstrapServers(), envelope -> { });
    }

    @AfterAll
    static void stopIt() throws Exception {
        if (timeline != null) {
            timeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void noRequestFailsWhileTrafficMovesToV2AndBackTwice() throws Exception {
        Wrk.Result underSwitches = new ZeroDowntime(stack, timeline, line -> { }).bluegreenCycles(2);

        assertThat(underSwitches.requests()).as(underSwitches.output()).isGreaterThan(0);
        assertThat(underSwitches.failed()).as(underSwitches.output()).isZero();
    }
}
