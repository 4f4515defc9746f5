package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThatException;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.sandbox.SandboxKeys;

/** Settings that cannot work stop the agent at start-up, with a message that names the setting. */
class DeployAgentStartUpTest {

    private static final String SHOP = """
            bluegreen:
              apps:
                shop:
                  load-balancer-id: lb-1
                  repository: https://git.example/shop.git
                  droplets:
                    blue: [{id: 1, ssh: "127.0.0.1:22", http: "http://127.0.0.1:80"}]
                    green: [{id: 2, ssh: "127.0.0.1:23", http: "http://127.0.0.1:81"}]
            """;

    @TempDir
    Path folder;

    @Test
    void withoutADeployKeyTheAgentDoesNotStartAndSaysWhichSettingIsMissing() throws Exception {
        Path knownHosts = Files.writeString(folder.resolve("known_hosts"), "");
        Path appsFile = Files.writeString(folder.resolve("bluegreen.yml"), SHOP + """
                  ssh:
                    known-hosts: "%s"
                """.formatted(knownHosts));

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause()
                .withMessageContaining("bluegreen.ssh.private-key")
                .withMessageContaining("bluegreen.ssh.private-key-content")
                .withMessageContaining("one of them is required");
    }

    @Test
    void withoutAKnownHostsFileTheAgentDoesNotStartAndSaysWhichSettingIsMissing() throws Exception {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        Path appsFile = Files.writeString(folder.resolve("bluegreen.yml"), SHOP + """
                  ssh:
                    private-key: "%s"
                """.formatted(keys.privateKeyFile()));

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause()
                .withMessageContaining("knownHosts")
                .withMessageContaining("set it to the path of the known_hosts file");
    }

    @Test
    void aMistypedPlaceholderInADeployStepStopsStartUpNamingTheApp() throws Exception {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        Path knownHosts = Files.writeString(folder.resolve("known_hosts"), "");
        Path appsFile = Files.writeString(folder.resolve("bluegreen.yml"), SHOP + """
                      deploy:
                        steps:
                          - {name: fetch, run: "git fetch origin {{reff}}"}
                  ssh:
                    private-key: "%s"
                    known-hosts: "%s"
                """.formatted(keys.privateKeyFile(), knownHosts));

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause()
                .withMessageContaining("bluegreen.apps.shop.deploy")
                .withMessageContaining("step 'fetch': {{reff}} is not a placeholder");
    }

    private static void start(Path appsFile) {
        DeployAgentApplication.application().run("--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--server.port=0", "--spring.main.banner-mode=off")
                .close();
    }
}
