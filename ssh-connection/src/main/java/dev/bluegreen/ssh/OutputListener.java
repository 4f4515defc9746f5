package dev.bluegreen.ssh;

/** Receives a command's output while it runs, from the threads that read it: one for each stream. */
@FunctionalInterface
public interface OutputListener {

    OutputListener IGNORED = (stream, bytes, offset, length) -> {
    };

    /**
     * @param stream 1 for standard output, 2 for standard error
     * @param bytes holds the output read; valid only during this call
     */
    void output(int stream, byte[] bytes, int offset, int length);
}
