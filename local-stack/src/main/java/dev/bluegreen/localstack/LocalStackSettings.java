package dev.bluegreen.localstack;

import java.nio.file.Path;

import dev.bluegreen.sandbox.SandboxSettings;

/**
 * Where the local stack keeps its files, which ports it takes, and whether it starts its own broker.
 *
 * @param kafkaBootstrapServers an existing broker to use, or null to start one
 */
record LocalStackSettings(Path workDirectory, Ports ports, String kafkaBootstrapServers,
        SandboxSettings sandboxSettings) {

    /** Ports of the processes; 0 picks a free one. */
    record Ports(int kafka, int gateway, int deployAgent, int healthMonitor, int trafficRouter) {

        static final Ports DEFAULTS = new Ports(9092, 8080, 8081, 8082, 8083);
        static final Ports ANY_FREE = new Ports(0, 0, 0, 0, 0);
    }
}
