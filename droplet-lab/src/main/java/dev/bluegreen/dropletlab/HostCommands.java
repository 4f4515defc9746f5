package dev.bluegreen.dropletlab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs programs on the host, with the environment a system service would get: the JVM's own (tokens, Kafka settings,
 * a pyenv on the PATH) must not reach the droplets.
 */
final class HostCommands {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private HostCommands() {
    }

    static ExecResult run(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT);
    }

    /** Runs {@code command} to its end, or kills it with what it started once {@code timeout} has passed. */
    static ExecResult run(List<String> command, Duration timeout) {
        Process process = start(command, null);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "droplet-lab-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                reader.join(1000);
                return new ExecResult(124, text(output) + "\n(" + command.get(0) + " did not end within " + timeout
                        + " and was killed)");
            }
            reader.join();
            return new ExecResult(process.exitValue(), text(output));
        }
        catch (InterruptedException ex) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + command.get(0) + " ran", ex);
        }
    }

    /** Runs {@code command} and returns its output. @throws IllegalStateException saying what failed, with its output */
    static String require(String what, String... command) {
        return require(what, List.of(command), DEFAULT_TIMEOUT);
    }

    static String require(String what, List<String> command, Duration timeout) {
        ExecResult result = run(command, timeout);
        if (!result.succeeded()) {
            throw new IllegalStateException(what + " failed with exit code " + result.exitCode() + ": "
                    + result.output().strip());
        }
        return result.output();
    }

    /** Starts a long-running program; its output goes to {@code log} (appended), or is read by the caller. */
    static Process start(List<String> command, @Nullable Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")));
        if (log == null) {
            builder.redirectErrorStream(true);
        }
        else {
            builder.redirectOutput(Redirect.appendTo(log.toFile())).redirectErrorStream(true);
        }
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", PATH);
        environment.put("LANG", "C.UTF-8");
        environment.put("HOME", "/root");
        try {
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + command.get(0) + ": " + ex.getMessage(), ex);
        }
    }

    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        byte[] buffer = new byte[8192];
        try (from) {
            for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
                synchronized (to) {
                    to.write(buffer, 0, read);
                }
            }
        }
        catch (IOException ex) {
            // the program ended or was killed: what it printed so far is what there is
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
