package dev.bluegreen.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.testing.FreePorts;

/** sshj against one real SSH droplet (MINA SSHD) from the sandbox. */
class SshConnectorTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;

    private static SandboxKeys keys;

    private static SshDroplet server;

    private static DropletSpec droplet;

    private static Path knownHosts;

    @BeforeAll
    static void startDroplet() {
        keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        server = SshDroplet.start(folder.resolve("droplet"), keys.publicKey());
        droplet = new DropletSpec(7, server.sshAddress(), server.httpUrl().toString(), null, null);
        knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"), List.of(server.knownHostsLine()));
    }

    @AfterAll
    static void stopDroplet() {
        server.close();
    }

    @Test
    void runsACommandAndKeepsItsExitCodeAndBothOutputStreams() throws Exception {
        try (DropletShell shell = connector(SshDroplet.USER, keys.privateKeyFile(), null).connect(droplet)) {
            CommandResult result = shell.run("echo to stdout; echo to stderr >&2; exit 3", Duration.ofSeconds(10));

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.timedOut()).isFalse();
            assertThat(result.outputTail().lines()).containsExactlyInAnyOrder("to stdout", "to stderr");
        }
    }

    @Test
    void runsSeveralCommandsOverOneConnection() throws Exception {
        try (DropletShell shell = connector(SshDroplet.USER, keys.privateKeyFile(), null).connect(droplet)) {
            assertThat(shell.run("echo one > file", Duration.ofSeconds(10)).succeeded()).isTrue();
            assertThat(shell.run("cat file", Duration.ofSeconds(10)).outputTail()).isEqualTo("one");
        }
    }

    @Test
    void aCommandPastItsTimeoutIsStoppedAndReportedAsTimedOut() throws Exception {
        try (DropletShell shell = connector(SshDroplet.USER, keys.privateKeyFile(), null).connect(droplet)) {
            long started = System.nanoTime();
            // long enough for a busy machine to start the shell and echo, far too short for the sleep
            CommandResult result = shell.run("echo starting; sleep 30", Duration.ofSeconds(2));

            assertThat(result.timedOut()).isTrue();
            assertThat(result.exitCode()).isNull();
            assertThat(result.outputTail()).isEqualTo("starting");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aDropletThatRefusesTheKeySaysSoNamingTheDropletAndUser() {
        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> connector("root", keys.privateKeyFile(), null).connect(droplet))
                .withMessage("The deploy-agent could not log in to droplet 7 (" + server.sshAddress() + ") as root: "
                        + "the droplet did not accept the deploy key.");
    }

    @Test
    void aHostMissingFromKnownHostsIsNotLoggedInTo() throws Exception {
        Path empty = Files.writeString(folder.resolve("empty_known_hosts"), "");

        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> TestConnectors.connector(SshDroplet.USER, keys.privateKeyFile(), null, empty,
                        CONNECT_TIMEOUT).connect(droplet))
                .withMessageContaining("The host key of droplet 7 (" + server.sshAddress() + ") was not recognised")
                .withMessageContaining("This may be an attack");
    }

    @Test
    void aClosedPortIsReportedAsARefusedConnection() throws Exception {
        DropletSpec closed = new DropletSpec(8, "127.0.0.1:" + FreePorts.any(), "http://127.0.0.1:1", null, null);

        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> connector(SshDroplet.USER, keys.privateKeyFile(), null).connect(closed))
                .withMessageStartingWith("The SSH connection to droplet 8 (" + closed.ssh() + ") was refused");
    }

    @Test
    void aServerThatNeverSpeaksSshTimesOutAfterTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            DropletSpec mute = new DropletSpec(9, "127.0.0.1:" + silent.getLocalPort(), "http://127.0.0.1:1", null, null);
            long started = System.nanoTime();

            assertThatExceptionOfType(SshFailure.class)
                    .isThrownBy(() -> TestConnectors.connector(SshDroplet.USER, keys.privateKeyFile(), null,
                            knownHosts, Duration.ofSeconds(1)).connect(mute))
                    .withMessage("The SSH connection to droplet 9 (" + mute.ssh() + ") timed out: the droplet did "
                            + "not answer and let the deploy-agent log in within 1s.");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anEncryptedKeyIsReadWithItsPassphrase() throws Exception {
        Path encrypted = encryptedCopyOfTheKey("correct horse battery staple");

        try (DropletShell shell = connector(SshDroplet.USER, encrypted, "correct horse battery staple")
                .connect(droplet)) {
            assertThat(shell.run("true", Duration.ofSeconds(10)).succeeded()).isTrue();
        }
    }

    @Test
    void aWrongPassphraseStopsStartUpWithoutSayingThePassphrase() throws Exception {
        Path encrypted = encryptedCopyOfTheKey("correct horse battery staple");

        assertThatExceptionOfType(BadSetting.class)
                .isThrownBy(() -> connector(SshDroplet.USER, encrypted, "wrong guess"))
                .withMessageContaining(encrypted.toString())
                .withMessageContaining("bluegreen.ssh.private-key-passphrase")
                .withMessageNotContaining("wrong guess")
                .withMessageNotContaining("correct horse");
    }

    @Test
    void theSettingsNeverShowTheKeyOrItsPassphrase() {
        SshSettings settings = new SshSettings("deploy", null, "-----BEGIN KEY-----", "s3cret", knownHosts,
                CONNECT_TIMEOUT, Duration.ofSeconds(15));

        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("BEGIN")
                .contains("privateKeyPassphrase=(hidden)").contains("privateKeyContent=(hidden)");
    }

    @Test
    void aMissingKnownHostsFileStopsStartUpNamingTheSetting() {
        assertThatExceptionOfType(BadSetting.class)
                .isThrownBy(() -> TestConnectors.connector(SshDroplet.USER, keys.privateKeyFile(), null,
                        folder.resolve("nowhere"), CONNECT_TIMEOUT))
                .withMessageContaining("bluegreen.ssh.known-hosts").withMessageContaining("nowhere");
    }

    private static SshConnector connector(String user, Path key, String passphrase) {
        return TestConnectors.connector(user, key, passphrase, knownHosts, CONNECT_TIMEOUT);
    }

    private static Path encryptedCopyOfTheKey(String passphrase) throws Exception {
        KeyPair pair;
        try (Reader in = Files.newBufferedReader(keys.privateKeyFile()); PEMParser pem = new PEMParser(in)) {
            pair = new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) pem.readObject());
        }
        Path encrypted = folder.resolve("encrypted_key");
        try (Writer out = Files.newBufferedWriter(encrypted); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(pair, new JcePEMEncryptorBuilder("AES-128-CBC").build(passphrase.toCharArray()));
        }
        return encrypted;
    }
}
