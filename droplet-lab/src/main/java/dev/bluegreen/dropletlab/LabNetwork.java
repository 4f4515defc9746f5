package dev.bluegreen.dropletlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespaces and links of one lab run. Every run has an id of its own, which its namespace and interface names
 * carry, and a marker file naming the JVM that owns it. Names and subnets are chosen under a lock that every run on
 * the machine shares, so runs side by side never clash; namespaces whose owner is gone (a run that was killed) are
 * removed, with their processes, before a new run chooses.
 */
final class LabNetwork {

    private static final Logger log = LoggerFactory.getLogger(LabNetwork.class);

    private static final Path STATE = Path.of("/run/bluegreen-droplet-lab");

    private static final Pattern NAMESPACE = Pattern.compile("bgl-([0-9a-f]{6})-(\\d+)");

    private static final Pattern HOST_LINK = Pattern.compile("bgl([0-9a-f]{6})h\\d+");

    /** Droplets get /30 subnets from 10.213.0.0/16: the droplet is .2 of its subnet and the host's end .1. */
    private static final int SUBNETS = 1 << 14;

    /** FileChannel.lock refuses a second lock from the same JVM: labs of one JVM queue here first. */
    private static final ReentrantLock inThisJvm = new ReentrantLock();

    private final String runId;

    private LabNetwork(String runId) {
        this.runId = runId;
    }

    /** One droplet's network: the namespace, and the link between it and the host. */
    record Link(String namespace, String hostInterface, String hostAddress, String dropletAddress) {
    }

    /** Removes what dead runs left, and starts a run with an id no other run has. */
    static LabNetwork open() {
        return locked(() -> {
            removeLeftovers();
            String runId;
            do {
                byte[] random = new byte[3];
                new SecureRandom().nextBytes(random);
                runId = HexFormat.of().formatHex(random);
            }
            while (Files.exists(marker(runId)));
            try {
                Files.writeString(marker(runId), ownerOfThisJvm());
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Could not write the lab's marker " + marker(runId), ex);
            }
            return new LabNetwork(runId);
        });
    }

    String runId() {
        return runId;
    }

    /** Creates droplet {@code index}'s namespace with loopback up and a veth link to the host on a free subnet. */
    Link create(int index) {
        return locked(() -> {
            String namespace = "bgl-" + runId + "-" + index;
            String hostInterface = "bgl" + runId + "h" + index;
            int subnet = freeSubnet();
            String hostAddress = address(subnet, 1);
            String dropletAddress = address(subnet, 2);
            HostCommands.require("Creating network namespace " + namespace, "ip", "netns", "add", namespace);
            // the droplet's end is made inside the namespace, so that its name (eth0) never meets the host's eth0
            HostCommands.require("Linking " + namespace + " to the host", "ip", "link", "add", hostInterface, "type",
                    "veth", "peer", "name", "eth0", "netns", namespace);
            HostCommands.require("Addressing the host's end", "ip", "addr", "add", hostAddress + "/30", "dev",
                    hostInterface);
            HostCommands.require("Bringing up the host's end", "ip", "link", "set", hostInterface, "up");
            HostCommands.require("Addressing the droplet", "ip", "-n", namespace, "addr", "add",
                    dropletAddress + "/30", "dev", "eth0");
            HostCommands.require("Bringing up the droplet's link", "ip", "-n", namespace, "link", "set", "eth0", "up");
            HostCommands.require("Bringing up the droplet's loopback", "ip", "-n", namespace, "link", "set", "lo",
                    "up");
            return new Link(namespace, hostInterface, hostAddress, dropletAddress);
        });
    }

    /** Ends every process left in the run's namespaces, removes them and the run's marker. */
    void close() {
        locked(() -> {
            for (String namespace : namespaces()) {
                Matcher name = NAMESPACE.matcher(namespace);
                if (name.matches() && name.group(1).equals(runId)) {
                    remove(namespace);
                }
            }
            try {
                Files.deleteIfExists(marker(runId));
            }
            catch (IOException ex) {
                log.warn("The droplet lab's marker {} could not be removed: {}", marker(runId), ex.getMessage());
            }
            return null;
        });
    }

    /** The ids of the processes in a namespace. */
    static List<Long> processesIn(String namespace) {
        ExecResult pids = HostCommands.run("ip", "netns", "pids", namespace);
        if (!pids.succeeded()) {
            return List.of();
        }
        return pids.output().lines().map(String::strip).filter(line -> line.matches("\\d+")).map(Long::valueOf)
                .toList();
    }

    private static void removeLeftovers() {
        Set<String> deadRuns = new HashSet<>();
        for (String namespace : namespaces()) {
            Matcher name = NAMESPACE.matcher(namespace);
            if (name.matches() && !alive(name.group(1))) {
                deadRuns.add(name.group(1));
                remove(namespace);
            }
        }
        // a run killed between making a link and moving its end into the namespace leaves the host's end alone
        for (String line : HostCommands.run("ip", "-o", "link", "show").output().lines().toList()) {
            Matcher link = Pattern.compile("^\\d+: (bgl[0-9a-f]{6}h\\d+)[@:]").matcher(line);
            if (link.find() && HOST_LINK.matcher(link.group(1)).matches()) {
                String run = link.group(1).substring(3, 9);
                if (!alive(run)) {
                    deadRuns.add(run);
                    HostCommands.run("ip", "link", "del", link.group(1));
                }
            }
        }
        try (var markers = Files.list(STATE)) {
            markers.filter(file -> file.getFileName().toString().endsWith(".owner"))
                    .map(file -> file.getFileName().toString().replace(".owner", ""))
                    .filter(run -> !alive(run)).forEach(run -> {
                        deadRuns.add(run);
                        marker(run).toFile().delete();
                    });
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read " + STATE, ex);
        }
        if (!deadRuns.isEmpty()) {
            log.info("The droplet lab removed what {} earlier run(s) left behind: {}.", deadRuns.size(),
                    String.join(", ", deadRuns));
        }
    }

    private static void remove(String namespace) {
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Long> pids = processesIn(namespace);
            if (pids.isEmpty()) {
                break;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(process -> process.onExit().join()));
        }
        ExecResult deleted = HostCommands.run("ip", "netns", "del", namespace);
        if (!deleted.succeeded()) {
            log.warn("The droplet lab could not remove network namespace {}: {}", namespace, deleted.output().strip());
        }
    }

    private static List<String> namespaces() {
        return HostCommands.run("ip", "netns", "list").output().lines().map(line -> line.split(" ")[0])
                .filter(name -> !name.isBlank()).toList();
    }

    private static int freeSubnet() {
        String used = HostCommands.run("ip", "-o", "-4", "addr", "show").output();
        for (int subnet = 0; subnet < SUBNETS; subnet++) {
            if (!used.contains(" " + address(subnet, 1) + "/")) {
                return subnet;
            }
        }
        throw new IllegalStateException("Every subnet of 10.213.0.0/16 that the droplet lab uses is taken.");
    }

    private static String address(int subnet, int host) {
        int offset = subnet * 4 + host;
        return "10.213." + (offset >> 8) + "." + (offset & 0xff);
    }

    private static Path marker(String runId) {
        return STATE.resolve(runId + ".owner");
    }

    /** Whether the JVM that wrote the run's marker still runs: its pid, with the same start time. */
    private static boolean alive(String runId) {
        try {
            return Files.readString(marker(runId)).strip().equals(ownerOf(Long.parseLong(
                    Files.readString(marker(runId)).strip().split(" ")[0])));
        }
        catch (IOException | NumberFormatException ex) {
            return false;
        }
    }

    private static String ownerOfThisJvm() {
        return ownerOf(ProcessHandle.current().pid());
    }

    /** The pid and its start time in clock ticks since boot: a pid used again later has another start time. */
    private static String ownerOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return pid + " " + fields[19];
        }
        catch (IOException ex) {
            return pid + " gone";
        }
    }

    private static <T> T locked(Supplier<T> work) {
        inThisJvm.lock();
        try {
            Files.createDirectories(STATE);
            try (FileChannel lockFile = FileChannel.open(STATE.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lockFile.lock()) {
                return work.get();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not take the droplet lab's lock in " + STATE, ex);
        }
        finally {
            inThisJvm.unlock();
        }
    }
}
