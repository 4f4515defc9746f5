package dev.bluegreen.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link KraftBroker} until Ctrl-C: {@code KraftBrokerMain [--port 9092] [--data DIR]}, or from this module's
 * folder {@code ../mvnw -q exec:java -Dexec.args="--port 9092 --data target/kafka"}.
 * Without {@code --data} the broker keeps its data in a temporary directory that is deleted on exit.
 */
public final class KraftBrokerMain {

    static final int DEFAULT_PORT = 9092;

    private KraftBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.err.println("usage: KraftBrokerMain [--port N] [--data DIR]");
            System.exit(2);
            return;
        }
        quietKafkaLogging();
        KraftBroker broker;
        try {
            broker = KraftBroker.start(options.data(), options.port());
        }
        catch (PortInUseException ex) {
            System.err.println("Cannot start Kafka: " + ex.getMessage() + ".");
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka on " + broker.bootstrapServers() + " ...");
            broker.close();
            stopped.countDown();
        }, "kraft-broker-shutdown"));
        System.out.println("Kafka is running on " + broker.bootstrapServers() + " with its data in "
                + broker.dataDirectory() + ". Press Ctrl-C to stop it.");
        stopped.await();
    }

    /**
     * Kafka logs thousands of lines at INFO. When logback is on the class path and nobody chose a configuration,
     * use ours, which keeps Kafka at WARN; this must happen before the first logger is created.
     */
    private static void quietKafkaLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/bluegreen/kafka/kraft-broker-logback.xml");
        }
    }

    record Options(@Nullable Path data, int port) {

        static Options parse(String... args) {
            @Nullable Path data = null;
            int port = DEFAULT_PORT;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!name.equals("--port") && !name.equals("--data")) {
                    throw new IllegalArgumentException("Unknown option " + name);
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("Option " + name + " needs a value");
                }
                String value = args[++i];
                if (name.equals("--data")) {
                    data = Path.of(value);
                }
                else {
                    port = parsePort(value);
                }
            }
            return new Options(data, port);
        }

        private static int parsePort(String value) {
            try {
                return Integer.parseInt(value);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--port must be a number, not " + value);
            }
        }
    }
}
