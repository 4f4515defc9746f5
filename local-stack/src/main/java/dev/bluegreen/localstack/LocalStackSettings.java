package dev.bluegreen.localstack;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import dev.bluegreen.sandbox.SandboxSettings;

/**
 * Where the local stack keeps its files, which ports it takes, and whether it starts its own broker.
 *
 * @param kafkaBootstrapServers an existing broker to use, or null to start one
 * @param digitalOceanApi where the traffic-router finds the DigitalOcean API, given the sandbox's: the sandbox's own
 *     unless a test puts something in between
 */
record LocalStackSettings(Path workDirectory, Ports ports, String kafkaBootstrapServers,
        SandboxSettings sandboxSettings, UnaryOperator<URI> digitalOceanApi) {

    LocalStackSettings(Path workDirectory, Ports ports, String kafkaBootstrapServers,
            SandboxSettings sandboxSettings) {
        this(workDirectory, ports, kafkaBootstrapServers, sandboxSettings, UnaryOperator.identity());
    }

    /** Ports of the processes; 0 picks a free one. */
    record Ports(int kafka, int gateway, int deployAgent, int healthMonitor, int trafficRouter) {

        static final Ports DEFAULTS = new Ports(9092, 8080, 8081, 8082, 8083);
        static final Ports ANY_FREE = new Ports(0, 0, 0, 0, 0);
    }
}
