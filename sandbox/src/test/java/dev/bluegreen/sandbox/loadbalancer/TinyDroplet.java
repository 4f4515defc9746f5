package dev.bluegreen.sandbox.loadbalancer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * A droplet's app as small as it gets: a JDK HTTP server on a free loopback port. Its {@code /healthz} answers
 * 200 while {@link #healthy(boolean)} says so, and 503 otherwise. Public for the history's tests, which stand it
 * in for a droplet's app.
 */
public final class TinyDroplet implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile boolean healthy = true;

    private TinyDroplet(HttpHandler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", handler);
        server.createContext("/healthz", exchange -> answer(exchange, healthy ? 200 : 503, healthy ? "ok" : "sick"));
        server.setExecutor(executor);
        server.start();
    }

    /** Answers every request with 200 and {@code name}. */
    public static TinyDroplet saying(String name) {
        return new TinyDroplet(exchange -> answer(exchange, 200, name));
    }

    public static TinyDroplet handling(HttpHandler handler) {
        return new TinyDroplet(handler);
    }

    public static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Whether {@code /healthz} passes from now on. */
    public TinyDroplet healthy(boolean passes) {
        healthy = passes;
        return this;
    }

    public URI http() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
