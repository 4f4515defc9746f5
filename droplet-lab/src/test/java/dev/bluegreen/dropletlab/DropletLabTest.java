package dev.bluegreen.dropletlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One droplet of the lab, set up from the bootstrap kit, as a client on the host sees it. The deploy-agent's tests
 * (RealDropletsTest) run the README's default workflow on such droplets.
 */
class DropletLabTest {

    @TempDir
    static Path folder;

    private static DropletLab lab;

    private static NetnsDroplet droplet;

    @BeforeAll
    static void startLab() {
        DropletPrerequisites.assumeAvailable();
        lab = DropletLab.start(folder.resolve("lab"), 1);
        droplet = lab.droplets().get(0);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void nginxPassesRequestsToTheAppWithTheHeadersTheKitsSiteSets() {
        assertThat(droplet.get("/").orElseThrow().body()).isEqualTo("hello from sample v1\n");
        assertThat(droplet.get("/request").orElseThrow().body()).isEqualTo("Host: " + droplet.address() + "\n"
                + "X-Real-IP: " + droplet.hostAddress() + "\n"
                + "X-Forwarded-For: " + droplet.hostAddress() + "\n"
                + "X-Forwarded-Proto: http\n");
    }

    @Test
    void gunicornRunsWithTheUnitsPidFileInTheDropletsOwnRunFolder() {
        assertThat(droplet.appPid()).isPresent();
        assertThat(droplet.exec("cat /run/gunicorn/sample.pid").output().strip())
                .isEqualTo(Long.toString(droplet.appPid().getAsLong()));
        assertThat(Path.of("/run/gunicorn/sample.pid")).as("the host's /run is not the droplet's").doesNotExist();
        assertThat(droplet.processes()).anySatisfy(process -> assertThat(process)
                .contains("-m gunicorn --workers 3 --bind 127.0.0.1:8000 --pid /run/gunicorn/sample.pid app:app"));
    }

    @Test
    void namespacesThatADeadRunLeftBehindAreRemovedWithTheirProcessesByTheNextLab() throws Exception {
        String deadRun = "dead00";
        String namespace = "bgl-" + deadRun + "-0";
        HostCommands.require("Making a leftover namespace", "ip", "netns", "add", namespace);
        Process leftover = HostCommands.start(List.of("ip", "netns", "exec", namespace, "sleep", "600"), null);
        Files.writeString(Path.of("/run/bluegreen-droplet-lab/" + deadRun + ".owner"), "999999999 0");
        await().atMost(Duration.ofSeconds(5)).until(() -> LabNetwork.processesIn(namespace).size() == 1);

        try (DropletLab next = DropletLab.start(folder.resolve("next"), 0)) {
            assertThat(HostCommands.run("ip", "netns", "list").output()).doesNotContain(namespace)
                    .contains("bgl-" + lab.runId() + "-0");
            await().atMost(Duration.ofSeconds(5)).until(() -> !leftover.isAlive());
            assertThat(Path.of("/run/bluegreen-droplet-lab/" + deadRun + ".owner")).doesNotExist();
        }
    }
}
