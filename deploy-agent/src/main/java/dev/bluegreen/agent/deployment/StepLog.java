package dev.bluegreen.agent.deployment;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.ssh.OutputListener;

/**
 * The live output of one step on one droplet, cut into lines, secrets masked, and handed on in bounded batches
 * ({@link DeploymentLog}): a batch goes when it holds {@value #BATCH_LINES} lines or {@value #BATCH_BYTES} bytes, or
 * when {@link LogStreams} flushes it (every half second). A line longer than {@value #LONGEST_LINE} characters is cut,
 * and after {@value #MOST_LINES} lines of one step the rest is dropped; a batch that lost anything says so
 * ({@code truncated}). It also keeps the step's last lines, masked, for the reason a failure gives
 * ({@link #tail()}).
 *
 * <p>Masking comes before any cut: a line without an end is handed on in parts, and the masker holds back what a
 * secret could still go on from, so that no cut shows a part of one.
 */
final class StepLog implements OutputListener, AutoCloseable {

    static final int BATCH_LINES = 50;

    static final int BATCH_BYTES = 8 * 1024;

    static final int LONGEST_LINE = 2 * 1024;

    static final int MOST_LINES = 5_000;

    /** A line without an end is handed on in parts of about this many bytes. */
    static final int LONGEST_PART = LONGEST_LINE * 4;

    static final int TAIL_LINES = 20;

    static final int TAIL_BYTES = 4096;

    private final String app;

    private final Colour colour;

    private final long dropletId;

    private final String step;

    /**
     * One for standard output and one for standard error: the two arrive interleaved in no set order, and a key
     * block printed on one must not swallow the lines the other prints meanwhile.
     */
    private final SecretMasker.Output[] maskers;

    private final Consumer<DeploymentLog> publish;

    private final ByteArrayOutputStream[] partial = { new ByteArrayOutputStream(), new ByteArrayOutputStream() };

    private final List<String> batch = new ArrayList<>();

    /** The last lines of both outputs, masked, in the order they ended. */
    private final Deque<String> tail = new ArrayDeque<>();

    private int tailLength;

    private int batchBytes;

    private boolean batchTruncated;

    private long sequence;

    private long linesSeen;

    StepLog(String app, Colour colour, long dropletId, String step, SecretMasker masker,
            Consumer<DeploymentLog> publish) {
        this.app = app;
        this.colour = colour;
        this.dropletId = dropletId;
        this.step = step;
        this.maskers = new SecretMasker.Output[] { masker.new Output(), masker.new Output() };
        this.publish = publish;
    }

    String step() {
        return step;
    }

    @Override
    public synchronized void output(int stream, byte[] bytes, int offset, int length) {
        int index = stream == 2 ? 1 : 0;
        ByteArrayOutputStream pending = partial[index];
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                line(index);
            }
            else {
                pending.write(bytes[i]);
                if (pending.size() >= LONGEST_PART) {
                    part(index); // a line without an end: hand on what there is rather than hold it all
                }
            }
        }
    }

    /** A line of the agent's own about this step, such as that it started. */
    synchronized void note(String line) {
        add(line);
        flush();
    }

    private void line(int stream) {
        ByteArrayOutputStream pending = partial[stream];
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        output(maskers[stream].end(rest));
    }

    private void part(int stream) {
        ByteArrayOutputStream pending = partial[stream];
        byte[] bytes = pending.toByteArray();
        int whole = wholeCharacters(bytes);
        pending.reset();
        pending.write(bytes, whole, bytes.length - whole); // the start of a character whose other bytes follow
        String part = maskers[stream].more(new String(bytes, 0, whole, StandardCharsets.UTF_8));
        if (!part.isEmpty()) {
            output(part);
        }
    }

    /** How many of {@code bytes} are whole UTF-8 characters, leaving out a last one that is cut short. */
    private static int wholeCharacters(byte[] bytes) {
        int start = bytes.length - 1;
        while (start > 0 && start > bytes.length - 4 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        int lead = bytes.length == 0 ? 0 : bytes[start] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return bytes.length - start < length ? start : bytes.length;
    }

    /** A line of the step's output, masked, or a part of one. */
    private void output(String line) {
        remember(line);
        add(line);
    }

    private void remember(String line) {
        tail.addLast(line);
        tailLength += line.length();
        while (tail.size() > TAIL_LINES || (tail.size() > 1 && tailLength > TAIL_BYTES)) {
            tailLength -= tail.removeFirst().length();
        }
    }

    /**
     * The last lines of the step's output, masked, at most {@value #TAIL_LINES} of them and about {@value #TAIL_BYTES}
     * bytes: what a failure quotes. Complete once the log is closed. Cutting it is safe, since it is masked already.
     */
    synchronized String tail() {
        String text = String.join("\n", tail).replaceFirst("^\\R+", "").stripTrailing();
        int from = text.length();
        int bytes = 0;
        while (from > 0 && bytes + utf8Length(text.charAt(from - 1)) <= TAIL_BYTES) {
            bytes += utf8Length(text.charAt(--from));
        }
        if (from > 0 && from < text.length() && Character.isLowSurrogate(text.charAt(from))) {
            from++;
        }
        return text.substring(from);
    }

    /** A surrogate counts 2, so a pair counts the 4 bytes it takes. */
    private static int utf8Length(char c) {
        return c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }

    private void add(String line) {
        if (++linesSeen > MOST_LINES) {
            batchTruncated = true;
            return;
        }
        String kept = line;
        if (kept.length() > LONGEST_LINE) {
            kept = kept.substring(0, LONGEST_LINE) + " …";
            batchTruncated = true;
        }
        int size = kept.getBytes(StandardCharsets.UTF_8).length + 1;
        if (batchBytes + size > BATCH_BYTES) {
            flush();
        }
        batch.add(kept);
        batchBytes += size;
        if (batch.size() >= BATCH_LINES) {
            flush();
        }
    }

    /** Hands on the lines gathered so far, if any. */
    synchronized void flush() {
        if (batch.isEmpty() && !batchTruncated) {
            return;
        }
        publish.accept(new DeploymentLog(app, colour, dropletId, step, sequence++, batch, batchTruncated));
        batch.clear();
        batchBytes = 0;
        batchTruncated = false;
    }

    /** Hands on the last lines, an unfinished one included. */
    @Override
    public synchronized void close() {
        for (int stream = 0; stream < partial.length; stream++) {
            if (partial[stream].size() > 0 || maskers[stream].holdsPart()) {
                line(stream);
            }
        }
        if (linesSeen > MOST_LINES) {
            batch.add("(" + (linesSeen - MOST_LINES) + " more lines of output were not streamed)");
            batchTruncated = true;
        }
        flush();
    }
}
