package dev.bluegreen.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.bluegreen.apps.BadSetting;

import dev.bluegreen.sandbox.SandboxKeys;

/** Settings that cannot work stop the agent at start-up, with a message that names the setting. */
@ExtendWith(OutputCaptureExtension.class)
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
                .withMessage("bluegreen.apps.shop.deploy.steps[0].run holds {{reff}}, which is not a placeholder.");
    }

    @Test
    void aStepThatPutsTheRefInsideQuotesStopsTheAgentWithOneMessageThatNamesTheKeyAndTheFix(CapturedOutput output)
            throws Exception {
        Path appsFile = appsFile("""
                      deploy:
                        steps:
                          - {name: revision, run: 'echo "{{ref}}" > REVISION'}
                """);

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause().isInstanceOf(BadSetting.class);
        assertThat(output.toString()).contains("APPLICATION FAILED TO START",
                "bluegreen.apps.shop.deploy.steps[0].run puts {{ref}} inside double quotes, where its value's quotes "
                        + "are plain characters and $(...) in it would run.",
                "or use the environment variable instead, which the shell expands safely inside double quotes "
                        + "(\"$BLUEGREEN_REF\")")
                .doesNotContain("\tat ");
    }

    @Test
    void aDirectoryThatARequestCouldChooseStopsTheAgent() throws Exception {
        Path appsFile = appsFile("""
                      deploy:
                        directory: /srv/{{ref}}
                """);

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause()
                .withMessageStartingWith("bluegreen.apps.shop.deploy.directory holds {{ref}}: the directory may hold "
                        + "no placeholder but {{app}}");
    }

    @Test
    void anAppNameThatClimbsOutOfItsDirectoryStopsTheAgentNamingTheKeyAsWritten() throws Exception {
        Path appsFile = appsFile(SHOP.replace("    shop:", "    ../../etc:"), "");

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause().isInstanceOf(BadSetting.class)
                .withMessageStartingWith("The apps file holds the key 'bluegreen.apps...")
                .withMessageEndingWith("no app name follows bluegreen.apps.");
    }

    @Test
    void anAppNameWithARightToLeftOverrideStopsTheAgentShowingTheCharacterForWhatItIs() throws Exception {
        Path appsFile = appsFile(SHOP.replace("    shop:", "    \"sh\u202eop\":"), "");

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause().isInstanceOf(BadSetting.class)
                .withMessageContaining("'sh\\u202eop' is no app name.")
                .satisfies(bad -> assertThat(bad.getMessage()).doesNotContain("\u202e"));
    }

    @Test
    void anOversizeStepStopsTheAgentGivingItsLengthButNotItsText() throws Exception {
        String huge = "echo " + "x".repeat(40_000);
        Path appsFile = appsFile("""
                      deploy:
                        steps:
                          - {name: big, run: "%s"}
                """.formatted(huge));

        assertThatException().isThrownBy(() -> start(appsFile)).havingRootCause()
                .withMessage("bluegreen.apps.shop.deploy.steps[0].run is 40005 characters long, more than the 32768 "
                        + "it may be.");
    }

    @Test
    void aKeyGivenTwiceInTheAppsFileStopsTheAgentSayingWhere(CapturedOutput output) throws Exception {
        Path appsFile = appsFile("""
                      repository: https://evil.example/shop.git
                """);

        assertThatException().isThrownBy(() -> start(appsFile));
        assertThat(output.toString()).contains("APPLICATION FAILED TO START",
                "A YAML settings file gives a key twice: found duplicate key repository at line 9, column 7")
                .doesNotContain("\tat ", "evil.example");
    }

    /** What a person at a terminal sees: the message, no stack trace, and exit code 1. */
    @Test
    void aBadSettingEndsTheAgentsProcessWithExitCodeOneAndNoStackTrace() throws Exception {
        Path appsFile = appsFile("""
                      deploy:
                        steps:
                          - {name: revision, run: 'echo "{{ref}}" > REVISION'}
                """);
        Process agent = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), DeployAgentApplication.class.getName(),
                "--bluegreen.config=" + appsFile, "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--server.port=0")
                .redirectErrorStream(true).start();
        String printed = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent stopped; it printed:%n%s", printed).isTrue();
        assertThat(agent.exitValue()).as(printed).isEqualTo(1);
        assertThat(printed).contains("APPLICATION FAILED TO START", "bluegreen.apps.shop.deploy.steps[0].run puts "
                + "{{ref}} inside double quotes").doesNotContain("\tat ", "Exception");
    }

    /** The shop app with {@code more} under it, and a deploy key and known_hosts file that work. */
    private Path appsFile(String more) throws Exception {
        return appsFile(SHOP, more);
    }

    private Path appsFile(String apps, String more) throws Exception {
        SandboxKeys keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        Path knownHosts = Files.writeString(folder.resolve("known_hosts"), "");
        return Files.writeString(folder.resolve("bluegreen.yml"), apps + more + """
                  ssh:
                    private-key: "%s"
                    known-hosts: "%s"
                """.formatted(keys.privateKeyFile(), knownHosts));
    }

    private static void start(Path appsFile) {
        DeployAgentApplication.application().run("--bluegreen.config=" + appsFile,
                "--spring.kafka.bootstrap-servers=127.0.0.1:1", "--server.port=0", "--spring.main.banner-mode=off")
                .close();
    }
}
