package dev.bluegreen.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.bluegreen.sandbox.SandboxSettings;

/**
 * The zero-downtime benchmark: {@code ZeroDowntimeBenchmark [cycles]} (default 20). Starts the whole local stack on
 * free ports, then puts steady load through the sandbox's load balancer (wrk) and prints failed requests and p99
 * latency for: no switch, bluegreen's deploy-switch-rollback cycles, and a naive one-call pool replacement.
 * See the README's performance section for the command and the figures.
 */
public final class ZeroDowntimeBenchmark {

    private ZeroDowntimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path work = Files.createTempDirectory("bluegreen-benchmark-");
        System.setProperty("bluegreen.local.log", work.resolve("benchmark.log").toString());
        try (LocalStack stack = LocalStack.start(new LocalStackSettings(work, LocalStackSettings.Ports.ANY_FREE, null,
                SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox")).withBusyWindow(LocalStack.BUSY_WINDOW)), line -> report("==> " + line));
                Timeline timeline = Timeline.follow(stack.bootstrapServers(), envelope -> { })) {
            ZeroDowntime benchmark = new ZeroDowntime(stack, timeline, line -> report("... " + line));
            Wrk.Result steady = benchmark.steady(Duration.ofSeconds(20));
            Wrk.Result bluegreen = benchmark.bluegreenCycles(cycles);
            Wrk.Result naive = benchmark.naiveSwitches(2 * cycles, Duration.ofSeconds(1));
            report("");
            report("%-34s %s".formatted("steady, nothing moves:", steady));
            report("%-34s %s".formatted(cycles + " bluegreen cycles (" + 2 * cycles + " switches):", bluegreen));
            report("%-34s %s".formatted(2 * cycles + " naive one-call switches:", naive));
            report("p99 during bluegreen switches / steady p99: %.2f".formatted(
                    bluegreen.p99().toNanos() / (double) steady.p99().toNanos()));
        }
    }

    private static void report(String line) {
        System.out.println(line);
    }
}
