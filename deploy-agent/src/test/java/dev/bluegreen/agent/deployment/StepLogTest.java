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

    /** A secret whose every part is easy to tell: no filler character is in it. */
    private static final String SECRET = "s3cr3t-T0k3n-9f8e7d6c";

    @Test
    void aSecretThatTheEightKilobyteCutGoesThroughShowsNotEvenInPart() {
        StepLog cut = new StepLog("shop", Colour.GREEN, 7, "install", SecretMasker.of(List.of(SECRET)), batches::add);
        String before = "x".repeat(StepLog.LONGEST_PART - SECRET.length() / 2);
        write(cut, before + SECRET + "y".repeat(3000) + "\n" + "after " + SECRET + "\n");
        cut.close();

        List<String> lines = batches.stream().flatMap(batch -> batch.lines().stream()).toList();
        assertThat(lines).as("the line was handed on in parts").hasSizeGreaterThan(2).last()
                .isEqualTo("after ******");
        assertNoPartOfTheSecretIn(lines);
        assertNoPartOfTheSecretIn(List.of(cut.tail()));
    }

    @Test
    void aPrivateKeyBlockWhoseBeginLineTheCutGoesThroughShowsNothingOfTheKey() {
        String begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
        String body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU";
        write("x".repeat(StepLog.LONGEST_PART - begin.length() / 2) + begin + "\\n" + body + "\\n"
                + "-----END OPENSSH PRIVATE KEY-----" + "\n" + "the next line\n");
        log.close();

        List<String> lines = batches.stream().flatMap(batch -> batch.lines().stream()).toList();
        assertThat(lines).noneMatch(line -> line.contains("b3Blbn") || line.contains("BEGIN") || line.contains("END"))
                .last().isEqualTo("the next line");
    }

    @Test
    void theTailKeepsTheLastLinesOfBothOutputsMasked() {
        write("line\n".repeat(30));
        byte[] error = bytes("error: s3cr3t-value was refused\n");
        log.output(2, error, 0, error.length);
        log.close();

        assertThat(log.tail().lines()).hasSize(StepLog.TAIL_LINES).last().isEqualTo("error: ****** was refused");
    }

    @Test
    void theTailShowsNoPartOfASecretWhereItsWindowBegins() {
        StepLog cut = new StepLog("shop", Colour.GREEN, 7, "install", SecretMasker.of(List.of(SECRET)), batches::add);
        // no line break: the window of the last 4 KB begins in the middle of the secret
        write(cut, SECRET + "y".repeat(StepLog.TAIL_BYTES - SECRET.length() / 2));
        cut.close();

        assertThat(cut.tail()).hasSizeLessThanOrEqualTo(StepLog.TAIL_BYTES).endsWith("yyy");
        assertNoPartOfTheSecretIn(List.of(cut.tail()));
    }

    @Test
    void aCharacterOfSeveralBytesThatACutGoesThroughStaysWhole() {
        write("\u20ac".repeat(StepLog.LONGEST_PART) + "\n"); // three bytes each: a cut after 8 KB goes through one
        log.close();

        assertThat(batches).flatMap(DeploymentLog::lines).allSatisfy(line -> assertThat(line)
                .doesNotContain("\ufffd"));
    }

    /** Neither the secret nor any four characters in a row of it: a secret's half is a secret half told. */
    private static void assertNoPartOfTheSecretIn(List<String> texts) {
        for (int i = 0; i + 4 <= SECRET.length(); i++) {
            String part = SECRET.substring(i, i + 4);
            assertThat(texts).as("no text holds '%s' of the secret", part).noneMatch(text -> text.contains(part));
        }
    }

    private void write(String text) {
        write(log, text);
    }

    private static void write(StepLog log, String text) {
        byte[] bytes = bytes(text);
        for (int offset = 0; offset < bytes.length; offset += 1000) {
            log.output(1, bytes, offset, Math.min(1000, bytes.length - offset));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
