package dev.bluegreen.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class OutputTailTest {

    @Test
    void keepsTheLastTwentyLines() {
        OutputTail tail = new OutputTail();
        append(tail, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()));

        assertThat(tail.text().lines()).hasSize(20).startsWith("line 81").endsWith("line 100");
    }

    @Test
    void keepsAtMostFourKilobytesAndStartsAtALineBeginning() {
        OutputTail tail = new OutputTail();
        String longLine = "x".repeat(1000);
        for (int i = 0; i < 10; i++) {
            append(tail, i + longLine + "\n");
        }
        append(tail, "error: no such ref\n");

        assertThat(tail.text().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(OutputTail.MAX_BYTES);
        assertThat(tail.text()).startsWith("6x").endsWith("error: no such ref"); // 5 was cut: dropped whole
    }

    @Test
    void keepsShortOutputAsItIs() {
        OutputTail tail = new OutputTail();
        append(tail, "fatal: couldn't find remote ref no-such-ref\n");

        assertThat(tail.text()).isEqualTo("fatal: couldn't find remote ref no-such-ref");
    }

    @Test
    void aChunkLargerThanTheLimitKeepsItsEnd() {
        OutputTail tail = new OutputTail(20, 10);
        append(tail, "0123456789\nabcdefghi");

        assertThat(tail.text()).isEqualTo("abcdefghi");
    }

    @Test
    void aChunkLargerThanTheLimitKeepsItsEndInOrder() {
        OutputTail tail = new OutputTail(20, 10);
        append(tail, "0123456789abc");

        assertThat(tail.text()).isEqualTo("3456789abc");
    }

    private static void append(OutputTail tail, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tail.append(bytes, 0, bytes.length);
    }
}
