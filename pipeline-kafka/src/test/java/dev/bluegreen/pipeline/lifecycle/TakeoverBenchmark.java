package dev.bluegreen.pipeline.lifecycle;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.springframework.context.ConfigurableApplicationContext;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * How long after a {@code kill -9} of one instance another instance owns its apps: two instances of a service, each a
 * JVM of its own, with the session timeout the services use ({@code bluegreen.lifecycle.session-timeout}, 10 s by
 * default; {@code -Dsession.timeout=6s} to try another). It kills whichever owns the first app, five times over, and
 * prints the time from the kill until the survivor has taken over every app the dead one owned.
 */
public final class TakeoverBenchmark {

    private static final int APPS = 12;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        String bootstrap = KafkaFixture.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sessionTimeout = System.getProperty("session.timeout", "10s");
        List<String> apps = IntStream.range(0, APPS).mapToObj(i -> "takeover-" + run + "-" + i).toList();
        Child first = Child.start(bootstrap, run, apps, sessionTimeout);
        try (EventLog events = EventLog.open(bootstrap, Topics.LIFECYCLE)) {
            apps.forEach(app -> events.publish(Envelope.of("bench", "d-" + app,
                    new DeployRequested(app, "v2", null, "bench"))));
        }
        first.awaitFolded(Set.copyOf(apps), Duration.ofMinutes(2));
        Child second = Child.start(bootstrap, run, apps, sessionTimeout);
        List<Long> takeovers = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Child owner = first.owned.containsKey(apps.get(0)) ? first : second;
            Child survivor = owner == first ? second : first;
            awaitShared(first, second, apps);
            Set<String> lost = Set.copyOf(owner.owned.keySet());
            long killed = System.nanoTime();
            owner.process.destroyForcibly().waitFor();
            survivor.awaitOwning(lost, Duration.ofMinutes(2));
            long millis = (survivor.lastOwnedNanos(lost) - killed) / 1_000_000;
            takeovers.add(millis);
            System.out.printf("Round %d: killed the owner of %d apps; the other instance owned them %d ms later.%n",
                    round + 1, lost.size(), millis);
            Child restarted = Child.start(bootstrap, run, apps, sessionTimeout);
            if (owner == first) {
                first = restarted;
            }
            else {
                second = restarted;
            }
        }
        first.process.destroyForcibly();
        second.process.destroyForcibly();
        System.out.printf("Takeover after kill -9 with a %s session timeout: %s ms.%n", sessionTimeout, takeovers);
        System.exit(0);
    }

    private static void awaitShared(Child first, Child second, List<String> apps) {
        await("the two instances share the apps").atMost(Duration.ofMinutes(2))
                .until(() -> !first.owned.isEmpty() && !second.owned.isEmpty()
                        && first.owned.size() + second.owned.size() == apps.size());
    }

    /** One instance, as a JVM of its own, reporting on its output which apps it owns. */
    static final class Child {

        final Process process;
        final Map<String, Long> owned = new ConcurrentHashMap<>();
        final Set<String> folded = ConcurrentHashMap.newKeySet();

        private Child(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "takeover-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String bootstrap, String run, List<String> apps, String sessionTimeout)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), bootstrap, run,
                    sessionTimeout));
            command.addAll(apps);
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] words = line.split(" ");
                    if (line.startsWith("OWNS ")) {
                        owned.put(words[1], System.nanoTime());
                    }
                    else if (line.startsWith("FOLDED ")) {
                        folded.add(words[1]);
                        owned.putIfAbsent(words[1], System.nanoTime());
                    }
                    else if (line.startsWith("RELEASED ")) {
                        owned.remove(words[1]);
                    }
                }
            }
            catch (IOException ex) {
                // the process was killed
            }
        }

        // the takeover is timed by when the child printed OWNS, not by when a wait notices it
        void awaitOwning(Set<String> apps, Duration timeout) {
            await("owning " + apps).atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> owned.keySet().containsAll(apps));
        }

        void awaitFolded(Set<String> apps, Duration timeout) {
            await("folding " + apps).atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> folded.containsAll(apps));
        }

        long lastOwnedNanos(Set<String> apps) {
            return apps.stream().mapToLong(owned::get).max().orElseThrow();
        }
    }

    /** The child: a service that only follows the lifecycles, and prints which apps it owns. */
    public static final class Main {

        public static void main(String[] args) {
            List<String> apps = List.of(args).subList(3, args.length);
            ConfigurableApplicationContext context = LifecycleService.startOn(args[0], "takeover-" + args[1], apps,
                    "10m", "--bluegreen.lifecycle.session-timeout=" + args[2],
                    "--spring.main.banner-mode=off", "--logging.level.root=WARN");
            LifecycleService.Recorder recorder = context.getBean(LifecycleService.Recorder.class);
            recorder.listener = new LifecycleService.Listener() {

                @Override
                public void owned(AppState state) {
                    System.out.println("OWNS " + state.app());
                }

                @Override
                public void folded(String app) {
                    System.out.println("FOLDED " + app);
                }

                @Override
                public void released(String app) {
                    System.out.println("RELEASED " + app);
                }
            };
        }
    }
}
