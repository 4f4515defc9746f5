package dev.bluegreen.sandbox.droplet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app a deploy step started in the background in a droplet's folder, found by the {@code app.pid} it writes.
 * The JVM does not own that process (nohup handed it to init), so it is stopped through {@link ProcessHandle}.
 */
final class RunningApp {

    private static final Logger log = LoggerFactory.getLogger(RunningApp.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Path pidFile;

    RunningApp(Path folder) {
        this.pidFile = folder.resolve("app.pid");
    }

    OptionalLong pid() {
        return process().map(process -> OptionalLong.of(process.pid())).orElseGet(OptionalLong::empty);
    }

    /** SIGTERM to the app and its children, SIGKILL to what still runs after the grace period. */
    void stop() {
        Optional<ProcessHandle> found = process();
        if (found.isEmpty()) {
            return;
        }
        ProcessHandle app = found.get();
        app.descendants().forEach(ProcessHandle::destroy);
        app.destroy();
        if (!awaitExit(app)) {
            log.warn("The app with pid {} ignored SIGTERM for {} and is killed.", app.pid(), GRACE);
            DropletShell.destroyTree(app);
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.debug("Could not remove {}: {}", pidFile, e.getMessage());
        }
    }

    private static boolean awaitExit(ProcessHandle app) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        try {
            while (running(app)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the process still runs. A process that has exited stays a zombie until init reaps it, which can take
     * seconds in a container; {@link ProcessHandle#isAlive()} counts zombies as alive, so /proc is asked too.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .noneMatch(line -> line.startsWith("State:") && line.contains("Z"));
        } catch (IOException | UncheckedIOException e) {
            return process.isAlive();
        }
    }

    /** The live process {@code app.pid} names; a pid reused since by something that is not the app is ignored. */
    private Optional<ProcessHandle> process() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid)
                    .filter(RunningApp::running)
                    .filter(process -> process.info().commandLine().map(line -> line.contains("app.py")).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
