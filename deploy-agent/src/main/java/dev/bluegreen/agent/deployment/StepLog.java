package dev.bluegreen.agent.deployment;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.bluegreen.agent.ssh.OutputListener;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeploymentLog;

/**
 * The live output of one step on one droplet, cut into lines, secrets masked, and handed on in bounded batches
 * ({@link DeploymentLog}): a batch goes when it holds {@value #BATCH_LINES} lines or {@value #BATCH_BYTES} bytes, or
 * when {@link LogStreams} flushes it (every half second). A line longer than {@value #LONGEST_LINE} characters is cut,
 * and after {@value #MOST_LINES} lines of one step the rest is dropped; a batch that lost anything says so
 * ({@code truncated}).
 */
final class StepLog implements OutputListener, AutoCloseable {

    static final int BATCH_LINES = 50;

    static final int BATCH_BYTES = 8 * 1024;

    static final int LONGEST_LINE = 2 * 1024;

    static final int MOST_LINES = 5_000;

    private final String app;

    private final Colour colour;

    private final long dropletId;

    private final String step;

    /**
     * One for standard output and one for standard error: the two arrive interleaved in no set order, and a key
     * block printed on one must not swallow the lines the other prints meanwhile.
     */
    private final SecretMasker.Lines[] maskers;

    private final Consumer<DeploymentLog> publish;

    private final ByteArrayOutputStream[] partial = { new ByteArrayOutputStream(), new ByteArrayOutputStream() };

    private final List<String> batch = new ArrayList<>();

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
        this.maskers = new SecretMasker.Lines[] { masker.new Lines(), masker.new Lines() };
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
                if (pending.size() >= LONGEST_LINE * 4) {
                    line(index); // a line without an end: hand on what there is rather than hold it all
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
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        add(maskers[stream].mask(line));
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
            if (partial[stream].size() > 0) {
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
