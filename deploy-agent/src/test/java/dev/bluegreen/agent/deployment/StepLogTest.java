package dev.bluegreen.agent.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentLog;

/** How the live output of a step is cut into batches. */
class StepLogTest {

    private final List<DeploymentLog> batches = new ArrayList<>();

    private final StepLog log = new StepLog("shop", Colour.GREEN, 7, "install", SecretMasker.of(List.of("s3cr3t-value")),
            batches::add);

    @Test
    void aBatchHoldsAtMostFiftyLinesAndNothingIsLostBelowTheStepsLimit() {
        write("line\n".repeat(120));
        log.close();

        assertThat(batches).extracting(batch -> batch.lines().size()).containsExactly(50, 50, 20);
        assertThat(batches).extracting(DeploymentLog::sequence).containsExactly(0L, 1L, 2L);
        assertThat(batches).noneMatch(DeploymentLog::truncated);
    }

    @Test
    void aBatchStaysWithinEightKilobytes() {
        write(("x".repeat(2000) + "\n").repeat(10));
        log.close();

        assertThat(batches).allSatisfy(batch -> assertThat(String.join("\n", batch.lines())
                .getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StepLog.BATCH_BYTES));
        assertThat(batches.stream().mapToInt(batch -> batch.lines().size()).sum()).isEqualTo(10);
    }

    @Test
    void anOverlongLineIsCutAndItsBatchSaysSo() {
        write("y".repeat(5000) + "\n");
        log.close();

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.truncated()).isTrue();
            assertThat(batch.lines().get(0)).hasSize(StepLog.LONGEST_LINE + 2).endsWith(" …");
        });
    }

    @Test
    void linesBeyondTheStepsLimitAreDroppedAndCounted() {
        write("z\n".repeat(StepLog.MOST_LINES + 30));
        log.close();

        DeploymentLog last = batches.get(batches.size() - 1);
        assertThat(last.truncated()).isTrue();
        assertThat(last.lines()).last().isEqualTo("(30 more lines of output were not streamed)");
    }

    @Test
    void standardOutputAndStandardErrorAreCutIntoLinesSeparatelyAndSecretsAreMasked() {
        log.output(1, bytes("half of "), 0, 8);
        log.output(2, bytes("an error with s3cr3t-value\n"), 0, 27);
        log.output(1, bytes("a line\r\n"), 0, 8);
        log.close();

        assertThat(batches).flatMap(DeploymentLog::lines).containsExactly("an error with ******", "half of a line");
    }

    @Test
    void anUnfinishedLastLineIsSentWhenTheStepEnds() {
        write("no newline at the end");
        assertThat(batches).isEmpty();

        log.close();

        assertThat(batches).flatMap(DeploymentLog::lines).containsExactly("no newline at the end");
    }

    private void write(String text) {
        byte[] bytes = bytes(text);
        for (int offset = 0; offset < bytes.length; offset += 1000) {
            log.output(1, bytes, offset, Math.min(1000, bytes.length - offset));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
