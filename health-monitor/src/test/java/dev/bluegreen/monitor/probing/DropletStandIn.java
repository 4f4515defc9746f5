package dev.bluegreen.monitor.probing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A droplet's web app over real HTTP on the loopback interface, answering its health probes from a script: each
 * request gets the next answer, and the last answer repeats. Paths given their own answer with {@link #on} always
 * get that one instead; {@link #turn} starts a new script, as when a healthy app goes bad.
 */
public final class DropletStandIn implements AutoCloseable {

    /** One answer; a null status never answers at all. */
    public record Answer(Integer status, String body) {

        public static Answer ok() {
            return new Answer(200, "ok");
        }

        public static Answer ok(String body) {
            return new Answer(200, body);
        }

        public static Answer failing(int status, String body) {
            return new Answer(status, body);
        }

        public static Answer silence() {
            return new Answer(null, "");
        }
    }

    private final HttpServer server;
    private volatile List<Answer> script;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Answer> byPath = new ConcurrentHashMap<>();
    private final List<String> requestedPaths = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> unanswered = new CopyOnWriteArrayList<>();

    private DropletStandIn(List<Answer> script) {
        this.script = script;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public static DropletStandIn answering(Answer... script) {
        return new DropletStandIn(List.of(script));
    }

    /** Answers {@code path} with {@code answer}, always, outside the script. */
    public DropletStandIn on(String path, Answer answer) {
        byPath.put(path, answer);
        return this;
    }

    /** Answers from now on from a new script. */
    public synchronized void turn(Answer... newScript) {
        script = List.of(newScript);
        next.set(0);
    }

    /**
     * For {@code await().until(droplet::requests, stopsGrowing())}: holds once the count of requests stayed the same
     * for half a second, so that nothing probes the droplet any more.
     */
    public static Predicate<Integer> stopsGrowing() {
        int[] last = {-1};
        long[] since = {0};
        return count -> {
            long now = System.nanoTime();
            if (count != last[0]) {
                last[0] = count;
                since[0] = now;
                return false;
            }
            return now - since[0] >= Duration.ofMillis(500).toNanos();
        };
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> requestedPaths() {
        return List.copyOf(requestedPaths);
    }

    public int requests() {
        return requestedPaths.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requestedPaths.add(path);
        Answer answer = byPath.containsKey(path) ? byPath.get(path) : scripted();
        if (answer.status() == null) {
            unanswered.add(exchange);
            return;
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private synchronized Answer scripted() {
        return script.get(Math.min(next.getAndIncrement(), script.size() - 1));
    }

    @Override
    public void close() {
        server.stop(0);
        unanswered.forEach(HttpExchange::close);
    }
}
