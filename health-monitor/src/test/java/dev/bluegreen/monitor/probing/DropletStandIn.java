package dev.bluegreen.monitor.probing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A droplet's web app over real HTTP on the loopback interface, answering its health probes from a script: each
 * request gets the next answer, and the last answer repeats.
 */
final class DropletStandIn implements AutoCloseable {

    /** One answer; a null status never answers at all. */
    record Answer(Integer status, String body) {

        static Answer ok() {
            return new Answer(200, "ok");
        }

        static Answer failing(int status, String body) {
            return new Answer(status, body);
        }

        static Answer silence() {
            return new Answer(null, "");
        }
    }

    private final HttpServer server;
    private final List<Answer> script;
    private final AtomicInteger next = new AtomicInteger();
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

    static DropletStandIn answering(Answer... script) {
        return new DropletStandIn(List.of(script));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requestedPaths() {
        return List.copyOf(requestedPaths);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requestedPaths.add(exchange.getRequestURI().getPath());
        Answer answer = script.get(Math.min(next.getAndIncrement(), script.size() - 1));
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

    @Override
    public void close() {
        server.stop(0);
        unanswered.forEach(HttpExchange::close);
    }
}
