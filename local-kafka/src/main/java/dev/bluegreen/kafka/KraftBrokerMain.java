package dev.bluegreen.kafka;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.bluegreen.commandline.Commands;

/**
 * Runs a {@link KraftBroker} until Ctrl-C: {@code KraftBrokerMain [--port 9092] [--data DIR]}, or from this module's
 * folder {@code ../mvnw -q exec:java -Dexec.args="--port 9092 --data target/kafka"}.
 * Without {@code --data} the broker keeps its data in a temporary directory that is deleted on exit. picocli parses
 * the options, writes {@code --help} and the bash completion ({@code generate-completion}), set up as in every bluegreen
 * tool by {@link Commands}.
 */
@Command(name = "kraft-broker", usageHelpWidth = 100,
        description = "Runs a single-node Kafka broker (KRaft) until Ctrl-C.",
        footer = "Exit codes: 1 Kafka did not start (its port is taken), 2 wrong usage.")
public final class KraftBrokerMain implements Callable<Integer> {

    static final int DEFAULT_PORT = 9092;
    static final int NOT_STARTED = 1;
    static final int USAGE = Commands.USAGE;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "the port clients connect to; default ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "where the broker keeps its data; default a temporary directory deleted on exit")
    @Nullable Path data;

    private final PrintStream out;
    private final PrintStream err;

    private KraftBrokerMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int exitCode = commandLine(System.out, System.err).execute(args);
        // after Ctrl-C the shutdown hooks are running: System.exit would wait for them forever
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** The command line of the broker; its usage errors exit 2 with what is wrong and the usage. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return Commands.configure(new CommandLine(new KraftBrokerMain(out, err)), out, err);
    }

    /** Starts the broker and runs it until the JVM is asked to stop. */
    @Override
    public Integer call() throws InterruptedException {
        quietKafkaLogging();
        KraftBroker broker;
        try {
            broker = KraftBroker.start(data, port);
        }
        catch (PortInUseException ex) {
            err.println("Cannot start Kafka: " + ex.getMessage() + ".");
            return NOT_STARTED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping Kafka on " + broker.bootstrapServers() + " ...");
            broker.close();
            stopped.countDown();
        }, "kraft-broker-shutdown"));
        out.println("Kafka is running on " + broker.bootstrapServers() + " with its data in "
                + broker.dataDirectory() + ". Press Ctrl-C to stop it.");
        stopped.await();
        return 0;
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
}
