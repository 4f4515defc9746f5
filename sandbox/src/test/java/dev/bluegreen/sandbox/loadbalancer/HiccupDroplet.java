package dev.bluegreen.sandbox.loadbalancer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A droplet on a raw socket that closes the next N connections right after reading their request, without a byte of
 * answer, as a server does when it drops a connection the client was about to reuse. Other requests get 200 "ok".
 */
final class HiccupDroplet implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger hiccups = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    HiccupDroplet() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "hiccup-droplet");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI http() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next {@code count} requests are dropped unanswered. */
    HiccupDroplet hiccup(int count) {
        hiccups.set(count);
        return this;
    }

    /** Request lines it read, dropped ones included; health checks (bare connections) are not counted. */
    List<String> requestLines() {
        return requestLines;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                answer(socket);
            } catch (IOException closed) {
                // the next connection, or the end
            }
        }
    }

    private void answer(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return;
        }
        requestLines.add(requestLine);
        int length = 0;
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        in.skip(length);
        if (hiccups.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            return;
        }
        OutputStream out = socket.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
