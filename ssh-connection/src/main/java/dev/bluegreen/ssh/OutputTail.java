package dev.bluegreen.ssh;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the end of a command's output: at most {@code maxBytes} bytes, shown as at most {@code maxLines} lines.
 * A step such as {@code pip install} can print megabytes; only its end says why it failed. Thread-safe, since standard
 * output and standard error are read by two threads. It is the raw output, secrets and all, and its window may begin
 * in the middle of one: it is for the agent's own reading (the commit a command prints), never to be published.
 */
final class OutputTail {

    static final int MAX_LINES = 20;

    static final int MAX_BYTES = 4096;

    private final int maxLines;

    private final byte[] ring;

    private long written;

    OutputTail() {
        this(MAX_LINES, MAX_BYTES);
    }

    OutputTail(int maxLines, int maxBytes) {
        this.maxLines = maxLines;
        this.ring = new byte[maxBytes];
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        int skip = Math.max(0, length - ring.length);
        written += skip; // counted before the rest is written, or the rest would land out of order
        for (int i = offset + skip; i < offset + length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[i];
        }
    }

    synchronized String text() {
        int kept = (int) Math.min(written, ring.length);
        byte[] tail = new byte[kept];
        int start = (int) ((written - kept) % ring.length);
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(start + i) % ring.length];
        }
        String text = new String(tail, StandardCharsets.UTF_8);
        if (written > ring.length && text.indexOf('\n') >= 0) {
            text = text.substring(text.indexOf('\n') + 1); // the first line was cut: drop what is left of it
        }
        List<String> lines = Arrays.asList(text.replaceFirst("^\\R+", "").stripTrailing().split("\\R"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    }
}
