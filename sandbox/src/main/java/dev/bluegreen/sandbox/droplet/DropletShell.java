package dev.bluegreen.sandbox.droplet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands the way the droplet's SSH server does: {@code sh -c <command>} in the droplet's folder, with
 * {@code PORT} set to the port the app must listen on, {@code HOME} to the folder, and little else in the
 * environment. Every command, over SSH or
 * local, starts here, so the two cannot differ.
 */
final class DropletShell {

    /** What a login shell would have anyway: where programs are, the locale, and pyenv's choice of Python. */
    private static final Set<String> INHERITED = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "PYENV_ROOT", "PYENV_VERSION");

    private final Path folder;
    private final int httpPort;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    DropletShell(Path folder, int httpPort) {
        this.folder = folder;
        this.httpPort = httpPort;
    }

    /** Starts {@code sh -c command}; standard input reads as empty, as with {@code ssh -n}. */
    Process start(String command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command)
                .directory(folder.toFile())
                .redirectInput(Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> environment = builder.environment();
        // Like sshd, a fresh environment: the JVM's own (tokens, Kafka settings) must not leak into the droplet.
        environment.keySet().retainAll(INHERITED);
        environment.put("PORT", Integer.toString(httpPort));
        environment.put("HOME", folder.toString());
        environment.put("USER", SshDroplet.USER);
        environment.put("LOGNAME", SshDroplet.USER);
        environment.put("SHELL", "/bin/sh");
        // A real droplet's checkout is no other repository's subfolder: git must not find one above the droplet's
        // folder (such as the bluegreen checkout the sandbox runs in) and take it for the app's.
        Path parent = folder.toAbsolutePath().getParent();
        if (parent != null) {
            environment.put("GIT_CEILING_DIRECTORIES", parent.toString());
        }
        Process process = builder.start();
        running.add(process);
        process.onExit().thenRun(() -> running.remove(process));
        return process;
    }

    /** Runs a command to its end, or kills it (and what it started) once {@code timeout} has passed. */
    ExecResult run(String command, Duration timeout) {
        try {
            Process process = start(command);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread stdout = pump(process.getInputStream(), output, "stdout");
            Thread stderr = pump(process.getErrorStream(), output, "stderr");
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process.toHandle());
                return new ExecResult(124, text(output) + "\nThe command did not finish within " + timeout
                        + " and was killed.");
            }
            // Like sshd, the command has ended only when nothing holds its output open any more.
            stdout.join(timeout.toMillis());
            stderr.join(timeout.toMillis());
            return new ExecResult(process.exitValue(), text(output));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a shell in " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a command ran in " + folder, e);
        }
    }

    /** Kills the shells still running, with whatever they started that has not been handed over to init. */
    void destroyAll() {
        running.forEach(process -> destroyTree(process.toHandle()));
    }

    static void destroyTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Thread pump(InputStream from, OutputStream to, String name) {
        Thread thread = new Thread(() -> copy(from, to), "droplet-shell-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[8192];
        try (from) {
            for (int read; (read = from.read(buffer)) >= 0; ) {
                synchronized (to) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The reader went away (the SSH channel closed): the command's output has nowhere to go.
        }
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
