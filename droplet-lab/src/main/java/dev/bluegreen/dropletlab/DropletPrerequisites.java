package dev.bluegreen.dropletlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can run the droplet lab: Linux, root, network and mount namespaces, and the programs a droplet
 * runs. Where it cannot, tests on real droplets are skipped with a message that says what is missing, unless
 * {@value #REQUIRE_VARIABLE}{@code =1} (CI sets it) turns the skip into a failure, so that CI never passes by skipping.
 */
public final class DropletPrerequisites {

    /** Set to 1 to fail, rather than skip, the tests on real droplets where the lab cannot run. */
    public static final String REQUIRE_VARIABLE = "BLUEGREEN_REQUIRE_DROPLETS";

    static final String PACKAGES = "openssh-server nginx gunicorn python3-flask python3-venv iproute2 git curl";

    private static final List<String> PROGRAMS = List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/sbin/nginx",
            "/usr/bin/python3", "/usr/bin/git", "/usr/bin/curl", "/usr/bin/setsid", "/usr/bin/nsenter",
            "/usr/bin/unshare");

    private static volatile @Nullable List<String> missing;

    private DropletPrerequisites() {
    }

    /**
     * Skips the calling test (a JUnit assumption) when the lab cannot run here, saying why; fails it instead when
     * {@value #REQUIRE_VARIABLE} is 1.
     */
    public static void assumeAvailable() {
        assumeAvailable(missing(), System.getenv(REQUIRE_VARIABLE));
    }

    static void assumeAvailable(List<String> lacking, @Nullable String required) {
        if (lacking.isEmpty()) {
            return;
        }
        String why = "The droplet lab cannot run on this machine: " + String.join("; ", lacking) + ".";
        if ("1".equals(required)) {
            Assertions.fail(why + " " + REQUIRE_VARIABLE + "=1 asks for the tests on real droplets, so this fails "
                    + "rather than skips.");
        }
        Assumptions.abort(why + " Tests on real droplets (OpenSSH, nginx, gunicorn in network namespaces) are "
                + "skipped; set " + REQUIRE_VARIABLE + "=1 to fail instead.");
    }

    /** What the lab lacks here, in words; empty when it can run. Checked once a JVM. */
    public static List<String> missing() {
        List<String> known = missing;
        if (known == null) {
            known = List.copyOf(check());
            missing = known;
        }
        return known;
    }

    private static List<String> check() {
        List<String> lacking = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            lacking.add("it is not Linux");
            return lacking;
        }
        if (!isRoot()) {
            lacking.add("it runs as a user other than root, and namespaces, port 22 and port 80 need root");
            return lacking;
        }
        for (String program : PROGRAMS) {
            if (!Files.isExecutable(Path.of(program))) {
                lacking.add(program + " is missing (apt-get install " + PACKAGES + ")");
            }
        }
        if (!lacking.isEmpty()) {
            return lacking;
        }
        if (!HostCommands.run("ip", "netns", "list").succeeded()) {
            lacking.add("`ip netns` does not work (apt-get install iproute2)");
        }
        if (!HostCommands.run("unshare", "--net", "--mount", "true").succeeded()) {
            lacking.add("new network and mount namespaces are not allowed (a container without CAP_SYS_ADMIN?)");
        }
        ExecResult python = HostCommands.run("/usr/bin/python3", "-c", "import flask, gunicorn, ensurepip, venv");
        if (!python.succeeded()) {
            lacking.add("Debian's Python lacks Flask, gunicorn or venv (apt-get install python3-flask gunicorn "
                    + "python3-venv)");
        }
        return lacking;
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
        }
        catch (IOException ex) {
            return false;
        }
    }
}
