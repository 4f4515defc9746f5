package dev.bluegreen.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.bluegreen.testing.FreePorts;

/**
 * One instance of a service as a JVM of its own, started from the test's class path the way a person starts its jar:
 * {@link #kill()} is a real {@code kill -9}. It answers on a port of its own; its readiness says which apps it owns.
 */
final class ServiceInstance implements AutoCloseable {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    private final String name;
    private final Class<?> mainClass;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private Process process;

    private ServiceInstance(String name, Class<?> mainClass, List<String> arguments, Path log, int port) {
        this.name = name;
        this.mainClass = mainClass;
        this.arguments = arguments;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code mainClass} with {@code arguments}, its output going to {@code log}; does not wait for it. */
    static ServiceInstance start(String name, Class<?> mainClass, List<String> arguments, Path log) {
        ServiceInstance instance = new ServiceInstance(name, mainClass, arguments, log, FreePorts.any());
        instance.launch();
        return instance;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // eight of these share two cores in a test: start fast, stay small
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        command.addAll(List.of("--server.port=" + port, "--spring.main.banner-mode=off"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + name, ex);
        }
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until it is ready: up, and its lifecycle stream runs with its share of the apps. */
    ServiceInstance awaitReady(Duration timeout) {
        Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see "
                                + log);
                    }
                    return readiness().path("status").asString("").equals("UP");
                });
        return this;
    }

    /** Whether it answers that it is ready now. */
    boolean ready() {
        try {
            return alive() && readiness().path("status").asString("").equals("UP");
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The apps whose lifecycle this instance owns now; empty when it does not answer. */
    Set<String> ownedApps() {
        Set<String> apps = new TreeSet<>();
        try {
            readiness().path("components").path("lifecycle").path("details").path("apps")
                    .forEach(app -> apps.add(app.asString()));
        }
        catch (IOException | RuntimeException ex) {
            // a dead or starting instance owns nothing that anyone can ask it about
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return apps;
    }

    private JsonNode readiness() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(url() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** {@code kill -9}: no shutdown hook runs, no group is left, nothing is flushed. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** Starts the same instance again, on the same port, after a kill or a stop. */
    ServiceInstance restart() {
        if (alive()) {
            kill();
        }
        launch();
        return this;
    }

    @Override
    public void close() {
        if (alive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }
}
