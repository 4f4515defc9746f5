package dev.bluegreen.sandbox.droplet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a droplet's app, which binds its port again on every restart, long after the port was picked. A port the
 * kernel hands out for {@code bind(0)} lies in its ephemeral range, which is also where every outgoing connection on
 * the machine takes its local port: between two restarts such a connection (a Kafka client's, a probe's) can take the
 * app's port, and the restart fails with "Address already in use". So a port is picked below that range, where no
 * outgoing connection lands, at random and checked free; only when the range leaves no room below it does the kernel
 * pick one.
 */
final class AppPorts {

    /** Ports below this are left alone: well-known services and the local stack's own (8080, 8088, 8090, 9092…). */
    static final int LOWEST = 20_000;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int TRIES = 100;

    private AppPorts() {
    }

    /** A port free now on {@code host}, below the kernel's ephemeral range where it can. */
    static int pick(InetAddress host) {
        return pick(host, ephemeralStart(EPHEMERAL_RANGE).orElse(32_768));
    }

    /** A port free now on {@code host}, below {@code below} where there is room. */
    static int pick(InetAddress host, int below) {
        for (int i = 0; below - LOWEST > TRIES && i < TRIES; i++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (isFree(host, candidate)) {
                return candidate;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, host)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for a droplet's app on " + host, e);
        }
    }

    /** The first port of the kernel's ephemeral range, as {@code ip_local_port_range} gives it. */
    static OptionalInt ephemeralStart(Path rangeFile) {
        // read line by line: Files.readString trusts the size procfs reports for the file, and reads a byte or so
        try (BufferedReader reader = Files.newBufferedReader(rangeFile)) {
            String[] range = reader.readLine().trim().split("\\s+");
            return OptionalInt.of(Integer.parseInt(range[0]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty(); // not Linux, or not readable: the usual start, 32768
        }
    }

    private static boolean isFree(InetAddress host, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, host)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
