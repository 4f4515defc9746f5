package dev.bluegreen.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.springframework.boot.logging.LoggingSystem;

import dev.bluegreen.sandbox.SandboxSettings;

/**
 * {@code java -jar local-stack.jar [--no-demo] [--exit-after-demo]}: starts broker, sandbox and services on their
 * default ports, prints every pipeline event as one line, runs the demo, and stops everything on Ctrl-C.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        PrintStream out = System.out;
        boolean ansi = System.console() != null && System.getenv("NO_COLOR") == null;
        Path work = Files.createTempDirectory("bluegreen-local-");
        // Read by logback.xml before anything logs: the console keeps the timeline, the file keeps the rest.
        System.setProperty("bluegreen.local.log", work.resolve("local-stack.log").toString());
        // logback.xml is the one logging set-up of the JVM: Spring Boot resetting it at each service's start would
        // drop what the broker and the sandbox log meanwhile on their own threads
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        LocalStackSettings settings = new LocalStackSettings(work, LocalStackSettings.Ports.DEFAULTS,
                System.getenv("KAFKA_BOOTSTRAP_SERVERS"), SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withBusyWindow(LocalStack.BUSY_WINDOW)
                        .withPorts(8090, 8088, 2221, 9001));

        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack stack;
        try {
            stack = LocalStack.start(settings, line -> out.println("==> " + line));
        } catch (Exception e) {
            out.println("==> The local stack did not start: " + PortInUse.explain(e));
            System.exit(1);
            return;
        }
        EventLine lines = new EventLine(ansi);
        Timeline timeline = Timeline.follow(stack.bootstrapServers(), envelope -> out.println(lines.format(envelope)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("==> Stopping the local stack ...");
            try {
                timeline.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));

        printWelcome(out, stack);
        boolean demoPassed = true;
        if (!options.contains("--no-demo")) {
            demoPassed = new Demo(stack, timeline, line -> out.println("==> " + line)).run();
            out.println(demoPassed ? "==> Demo done: deployed v2, switched traffic, rolled back to v1."
                    : "==> The demo did not end as expected: see the events above.");
        }
        if (options.contains("--exit-after-demo")) {
            System.exit(demoPassed ? 0 : 1);
        }
        out.println("==> The stack keeps running: watch it at " + stack.gatewayUrl() + "/dashboard/ (token "
                + LocalStack.GATEWAY_TOKEN + "). Press Ctrl-C to stop it.");
        stopped.await();
    }

    private static void printWelcome(PrintStream out, LocalStack stack) throws IOException {
        String app = stack.sandbox().appName();
        out.println("""
                ==> Dashboard:                %2$s/dashboard/   (token: %9$s)
                ==> bluegreen is running locally.
                    Load balancer (sandbox):  %1$s        try: curl %1$s/
                    Gateway:                  %2$s        API docs: %2$s/docs/
                    Live events:              curl -N -H "Authorization: Bearer local-stack-token" %2$s/api/events
                    Deploy v2:                curl -X POST %2$s/api/apps/%3$s/deployments -H 'Authorization: Bearer local-stack-token' -H 'Content-Type: application/json' -d '{"ref":"v2"}'
                    Roll back:                curl -X POST %2$s/api/apps/%3$s/rollbacks -H 'Authorization: Bearer local-stack-token'
                    DigitalOcean API (sandbox): %4$s
                    Kafka:                    %5$s
                    Apps file:                %6$s
                    Log of every service:     %7$s
                    Check the setup:          preflight/bin/bluegreen-preflight doctor --bluegreen.config=%6$s --bluegreen.digitalocean.token=%8$s --spring.kafka.bootstrap-servers=%5$s
                    Rehearse a deployment:    preflight/bin/bluegreen-preflight dry-run %3$s v2 --bluegreen.config=%6$s --bluegreen.digitalocean.token=%8$s""".formatted(
                stack.sandbox().loadBalancerUrl(), stack.gatewayUrl(), app, stack.sandbox().apiUrl(),
                stack.bootstrapServers(), stack.appsFile(), System.getProperty("bluegreen.local.log"),
                stack.sandbox().apiToken(), LocalStack.GATEWAY_TOKEN));
    }
}
