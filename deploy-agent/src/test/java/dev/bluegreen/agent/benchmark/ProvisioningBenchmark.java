package dev.bluegreen.agent.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.agent.DeployAgentApplication;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Topics;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * What the deploy-agent adds on top of the SSH work: wall time and heap, for one deploy and for 50 apps deploying at
 * once. Each app has one idle droplet (a real MINA SSHD server in this JVM) and the same steps: a pause, 200 lines of
 * output (streamed as DeploymentLog), another pause. The SSH work alone is the same commands run straight with sshj,
 * one connection per droplet, all droplets in parallel; the agent's figure is from DeployRequested published to
 * EnvironmentProvisioned received. Each figure is the median of {@value #RUNS} runs after a warm-up. The agent runs
 * with {@code max-concurrent-deployments=50}: with the default of 4, 4 would run, 16 wait and 30 be refused as busy.
 * Run:
 *
 * <pre>cd deploy-agent && ../mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.bluegreen.agent.benchmark.ProvisioningBenchmark</pre>
 */
public final class ProvisioningBenchmark {

    private static final List<String> STEPS = List.of("sleep 0.3", "i=0; while [ $i -lt 200 ]; do echo line $i; "
            + "i=$((i + 1)); done", "sleep 0.3");

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private static final int APPS = 50;

    private static final int RUNS = 5;

    private static final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    private ProvisioningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("provisioning-benchmark");
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        List<SshDroplet> droplets = new ArrayList<>();
        for (int i = 0; i < APPS; i++) {
            droplets.add(SshDroplet.start(folder.resolve("droplet-" + i), keys.publicKey()));
        }
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"),
                droplets.stream().map(SshDroplet::knownHostsLine).toList());
        Path appsFile = Files.writeString(folder.resolve("bluegreen.yml"), appsFile(droplets, keys, knownHosts));
        String bootstrap = KafkaFixture.bootstrapServers();
        try (EventLog events = EventLog.open(bootstrap, Topics.LIFECYCLE)) {
            List<Integer> allApps = java.util.stream.IntStream.range(0, APPS).boxed().toList();
            sshAlone(droplets.subList(0, 1), keys); // warm up sshj and the JIT
            sshAlone(droplets, keys);
            Measure sshOne = median(() -> sshAlone(droplets.subList(0, 1), keys));
            Measure sshAll = median(() -> sshAlone(droplets, keys));
            long heapBefore = settledHeap();
            ConfigurableApplicationContext agent = DeployAgentApplication.application().run(
                    "--bluegreen.config=" + appsFile, "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=warn",
                    "--bluegreen.deploy-agent.max-concurrent-deployments=" + APPS);
            try {
                long heapAgentIdle = settledHeap();
                agentDeploys(events, List.of(0)); // warm up
                agentDeploys(events, allApps);
                Measure agentOne = median(() -> agentDeploys(events, List.of(0)));
                Measure agentAll = median(() -> agentDeploys(events, allApps));
                report(sshOne, sshAll, agentOne, agentAll, heapBefore, heapAgentIdle);
            }
            finally {
                agent.close();
            }
        }
        finally {
            droplets.forEach(SshDroplet::close);
        }
        System.exit(0);
    }

    /**
     * @param allocated bytes allocated on the heap by every thread of this JVM during the run
     * @param liveHeap heap in use right after a full GC half-way through the run
     */
    record Measure(long wallMs, long allocated, long liveHeap) {
    }

    private interface Run {
        Measure run() throws Exception;
    }

    /** The median of each figure over {@value #RUNS} runs. */
    private static Measure median(Run run) throws Exception {
        List<Measure> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(run.run());
        }
        System.out.println("runs: " + runs);
        return new Measure(median(runs, Measure::wallMs), median(runs, Measure::allocated),
                median(runs, Measure::liveHeap));
    }

    private static long median(List<Measure> runs, java.util.function.ToLongFunction<Measure> figure) {
        return runs.stream().mapToLong(figure).sorted().skip(RUNS / 2).findFirst().orElseThrow();
    }

    /** The steps and the commit command, straight over sshj, every droplet in parallel. */
    private static Measure sshAlone(List<SshDroplet> droplets, SandboxKeys keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(droplets.size());
        HeapSampler heap = HeapSampler.start(droplets.size() == 1 ? 500 : 1500);
        long started = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (SshDroplet droplet : droplets) {
            runs.add(pool.submit(() -> {
                try (SSHClient client = new SSHClient()) {
                    client.loadKnownHosts(droplet.folder().getParent().resolve("known_hosts").toFile());
                    client.connect(droplet.sshHost(), droplet.sshPort());
                    KeyProvider key = client.loadKeys(keys.privateKeyFile().toString());
                    client.authPublickey(SshDroplet.USER, key);
                    for (String command : commands()) {
                        try (Session session = client.startSession(); Session.Command run = session.exec(command)) {
                            run.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                            run.join(30, TimeUnit.SECONDS);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        long wall = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        return heap.stop(wall);
    }

    private static List<String> commands() {
        List<String> commands = new ArrayList<>(STEPS.stream().map(step -> "cd '.' && " + step).toList());
        commands.add("cd '.' && echo " + COMMIT);
        return commands;
    }

    private static Measure agentDeploys(EventLog events, List<Integer> apps) {
        HeapSampler heap = HeapSampler.start(apps.size() == 1 ? 500 : 1500);
        long started = System.nanoTime();
        Map<Integer, String> ids = new ConcurrentHashMap<>();
        for (int app : apps) {
            String deploymentId = UUID.randomUUID().toString();
            ids.put(app, deploymentId);
            events.publish(Envelope.of("benchmark", deploymentId, new DeployRequested("app-" + app, "v2", null,
                    "benchmark")));
        }
        ids.values().forEach(id -> events.awaitEvent(EnvironmentProvisioned.class, id, Duration.ofMinutes(5)));
        long wall = (System.nanoTime() - started) / 1_000_000;
        // no health-monitor runs here: cancel the health checks, so that each app takes the next run's deployment
        ids.forEach((app, id) -> events.publish(Envelope.of("benchmark", id, new CancelRequested("app-" + app,
                "benchmark", null))));
        return heap.stop(wall);
    }

    private static long settledHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Counts the bytes allocated during a run, and takes the live heap by a full GC at a set time into it. */
    private static final class HeapSampler {

        private static final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        private final long allocatedBefore = threads.getTotalThreadAllocatedBytes();

        private final AtomicLong liveHeap = new AtomicLong();

        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        static HeapSampler start(long liveHeapAfterMs) {
            HeapSampler heap = new HeapSampler();
            heap.sampler.schedule(() -> {
                System.gc();
                heap.liveHeap.set(memory.getHeapMemoryUsage().getUsed());
            }, liveHeapAfterMs, TimeUnit.MILLISECONDS);
            return heap;
        }

        Measure stop(long wallMs) {
            long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
            sampler.shutdown();
            try {
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return new Measure(wallMs, allocated, liveHeap.get());
        }
    }

    private static void report(Measure sshOne, Measure sshAll, Measure agentOne, Measure agentAll, long heapBefore,
            long heapAgentIdle) {
        System.out.printf(Locale.ROOT, "%n%-48s %10s %10s %11s%n", "median of " + RUNS + " runs", "SSH alone",
                "agent", "agent adds");
        row("one deploy (1 droplet): wall time", sshOne.wallMs(), agentOne.wallMs(), "ms");
        row(APPS + " apps at once (1 droplet each): wall time", sshAll.wallMs(), agentAll.wallMs(), "ms");
        row("one deploy: heap allocated", mb(sshOne.allocated()), mb(agentOne.allocated()), "MB");
        row(APPS + " apps at once: heap allocated", mb(sshAll.allocated()), mb(agentAll.allocated()), "MB");
        row(APPS + " apps at once: live heap mid-way (after GC)", mb(sshAll.liveHeap()), mb(agentAll.liveHeap()),
                "MB");
        System.out.printf(Locale.ROOT, "%-48s %21s %8d MB%n", "the agent at rest: live heap (after GC)", "",
                mb(heapAgentIdle - heapBefore));
    }

    private static void row(String what, long ssh, long agent, String unit) {
        System.out.printf(Locale.ROOT, "%-48s %7d %s %7d %s %8d %s%n", what, ssh, unit, agent, unit, agent - ssh,
                unit);
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static String appsFile(List<SshDroplet> droplets, SandboxKeys keys, Path knownHosts) {
        StringBuilder yaml = new StringBuilder("bluegreen:\n  apps:\n");
        for (int i = 0; i < droplets.size(); i++) {
            SshDroplet droplet = droplets.get(i);
            String entry = "{ id: " + (1000 + i) + ", ssh: \"" + droplet.sshAddress() + "\", http: \""
                    + droplet.httpUrl() + "\" }";
            yaml.append("    app-").append(i).append(":\n")
                    .append("      load-balancer-id: lb-").append(i).append('\n')
                    .append("      repository: https://git.example/app.git\n")
                    .append("      droplets:\n")
                    .append("        blue: [ { id: ").append(5000 + i).append(", ssh: \"127.0.0.1:1\", http: ")
                    .append("\"http://127.0.0.1:1\" } ]\n")
                    .append("        green: [ ").append(entry).append(" ]\n")
                    .append("      deploy:\n        directory: \".\"\n        commit-command: \"echo ")
                    .append(COMMIT).append("\"\n        steps:\n");
            for (int step = 0; step < STEPS.size(); step++) {
                yaml.append("          - { name: step-").append(step).append(", run: \"").append(STEPS.get(step))
                        .append("\", timeout: 30s }\n");
            }
        }
        yaml.append("  ssh:\n    user: ").append(SshDroplet.USER).append("\n    private-key: \"")
                .append(keys.privateKeyFile()).append("\"\n    known-hosts: \"").append(knownHosts).append("\"\n");
        return yaml.toString();
    }
}
