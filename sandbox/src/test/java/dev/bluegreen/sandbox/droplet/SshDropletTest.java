package dev.bluegreen.sandbox.droplet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.bluegreen.sandbox.SandboxKeys;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshDropletTest {

    @TempDir
    Path folder;

    private SandboxKeys keys;
    private SshDroplet droplet;

    @BeforeEach
    void startDroplet() {
        keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        droplet = SshDroplet.start(folder.resolve("droplet"), keys.publicKey());
    }

    @AfterEach
    void stopDroplet() {
        droplet.close();
    }

    @Test
    void runsACommandInTheDropletFolderAndReturnsItsOutputAndExitCode() throws IOException {
        try (SSHClient ssh = connect(droplet.hostKeyFingerprint());
                Session session = ssh.startSession();
                Session.Command command = session.exec("pwd; echo \"port $PORT home $HOME\"; echo oops >&2; exit 3")) {
            String out = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(command.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            command.join(10, TimeUnit.SECONDS);

            assertThat(out).isEqualTo(droplet.folder() + "\nport " + droplet.httpPort() + " home " + droplet.folder()
                    + "\n");
            assertThat(err).isEqualTo("oops\n");
            assertThat(command.getExitStatus()).isEqualTo(3);
        }
    }

    @Test
    void refusesAClientWithTheWrongKey() throws IOException {
        SandboxKeys stranger = SandboxKeys.loadOrGenerate(folder.resolve("stranger"));
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(droplet.hostKeyFingerprint());
            ssh.connect(droplet.sshHost(), droplet.sshPort());

            assertThatThrownBy(() -> ssh.authPublickey(SshDroplet.USER,
                    ssh.loadKeys(stranger.privateKeyFile().toString())))
                    .isInstanceOf(UserAuthException.class);
            assertThat(ssh.isAuthenticated()).isFalse();
        }
    }

    @Test
    void refusesPasswords() throws IOException {
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(droplet.hostKeyFingerprint());
            ssh.connect(droplet.sshHost(), droplet.sshPort());

            assertThatThrownBy(() -> ssh.authPassword(SshDroplet.USER, "deploy")).isInstanceOf(UserAuthException.class);
            assertThat(ssh.isAuthenticated()).isFalse();
        }
    }

    @Test
    void refusesAnyUserButDeployEvenWithTheRightKey() throws IOException {
        try (SSHClient ssh = new SSHClient()) {
            ssh.addHostKeyVerifier(droplet.hostKeyFingerprint());
            ssh.connect(droplet.sshHost(), droplet.sshPort());

            assertThatThrownBy(() -> ssh.authPublickey("root", ssh.loadKeys(keys.privateKeyFile().toString())))
                    .isInstanceOf(UserAuthException.class);
            assertThat(ssh.isAuthenticated()).isFalse();
        }
    }

    @Test
    void keepsItsHostKeyAfterARestart() throws IOException {
        String fingerprint = droplet.hostKeyFingerprint();
        int port = droplet.sshPort();
        droplet.close();

        droplet = SshDroplet.start(folder.resolve("droplet"), keys.publicKey(), port, 0);

        assertThat(droplet.hostKeyFingerprint()).isEqualTo(fingerprint);
        try (SSHClient ssh = connect(fingerprint); Session session = ssh.startSession();
                Session.Command command = session.exec("true")) {
            command.join(10, TimeUnit.SECONDS);
            assertThat(command.getExitStatus()).isZero();
        }
    }

    @Test
    void aClientExpectingAnotherHostKeyIsStoppedBeforeItLogsIn() {
        SshDroplet other = SshDroplet.start(folder.resolve("other"), keys.publicKey());
        try {
            assertThatThrownBy(() -> connect(other.hostKeyFingerprint()).close())
                    .isInstanceOf(TransportException.class);
        } finally {
            other.close();
        }
    }

    @Test
    void describesItsHostKeyTheWayOpenSshDoes() {
        assertThat(droplet.hostKeyFingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
        assertThat(droplet.knownHostsLine())
                .matches("\\[127\\.0\\.0\\.1]:" + droplet.sshPort() + " ecdsa-sha2-nistp256 [A-Za-z0-9+/]+=*");
        assertThat(droplet.sshAddress()).isEqualTo("127.0.0.1:" + droplet.sshPort());
        assertThat(droplet.httpUrl()).hasToString("http://127.0.0.1:" + droplet.httpPort());
    }

    @Test
    void aBackgroundProcessWithRedirectedStreamsOutlivesTheCommandThatStartedIt() throws IOException {
        try (SSHClient ssh = connect(droplet.hostKeyFingerprint());
                Session session = ssh.startSession();
                Session.Command command = session.exec(
                        "nohup sleep 60 </dev/null >/dev/null 2>&1 & echo $! > sleep.pid")) {
            command.join(10, TimeUnit.SECONDS);
            assertThat(command.getExitStatus()).as("the command ends while its background process runs").isZero();
        }
        long pid = Long.parseLong(Files.readString(droplet.folder().resolve("sleep.pid")).strip());
        ProcessHandle sleeper = ProcessHandle.of(pid).orElseThrow();
        try {
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    private SSHClient connect(String fingerprint) throws IOException {
        SSHClient ssh = new SSHClient();
        try {
            ssh.addHostKeyVerifier(fingerprint);
            ssh.connect(droplet.sshHost(), droplet.sshPort());
            ssh.authPublickey(SshDroplet.USER, ssh.loadKeys(keys.privateKeyFile().toString()));
            return ssh;
        } catch (IOException | RuntimeException e) {
            ssh.close();
            throw e;
        }
    }
}
