package dev.bluegreen.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.apps.BastionSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.sandbox.SandboxKeys;
import dev.bluegreen.sandbox.droplet.SshDroplet;
import dev.bluegreen.ssh.TestConnectors.SshSettingsBuilder;

/**
 * Host keys pinned in the apps file, a deploy key given as content, and a bastion (a MINA SSHD server that allows TCP
 * forwarding) in front of a real SSH droplet.
 */
class BastionAndPinnedKeysTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;

    private static SandboxKeys keys;

    private static SshDroplet server;

    private static Path emptyKnownHosts;

    private static SshServer bastion;

    private static String bastionFingerprint;

    /** Where the bastion was asked to forward connections to. */
    private static final Queue<String> forwarded = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws IOException {
        keys = SandboxKeys.loadOrGenerate(folder.resolve("keys"));
        server = SshDroplet.start(folder.resolve("droplet"), keys.publicKey());
        emptyKnownHosts = Files.writeString(folder.resolve("empty_known_hosts"), "");
        bastion = startBastion();
    }

    @AfterAll
    static void stop() throws IOException {
        bastion.stop(true);
        server.close();
    }

    @Test
    void aDropletWhosePinnedFingerprintMatchesIsLoggedInToWithoutAKnownHostsEntry() throws Exception {
        DropletSpec pinned = droplet(server.hostKeyFingerprint());

        try (DropletShell shell = connector(keyFile()).connect(pinned)) {
            assertThat(shell.run("echo pinned", TIMEOUT).outputTail()).isEqualTo("pinned");
        }
    }

    @Test
    void aPinnedFingerprintThatDoesNotMatchIsRefusedEvenWhenKnownHostsListsTheKey() throws Exception {
        Path knownHosts = SandboxKeys.writeKnownHosts(folder.resolve("known_hosts"),
                List.of(server.knownHostsLine()));
        String otherFingerprint = otherFingerprint();
        SshSettingsBuilder settings = new SshSettingsBuilder(SshDroplet.USER, keys.privateKeyFile(), null, null,
                knownHosts, TIMEOUT, Duration.ofSeconds(15));

        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> TestConnectors.connector(settings).connect(droplet(otherFingerprint)))
                .withMessageStartingWith("The host key of droplet 7 (" + server.sshAddress() + ") does not match the "
                        + "fingerprint pinned in the apps file (its key has fingerprint "
                        + server.hostKeyFingerprint() + ")")
                .withMessageContaining("This may be an attack");
    }

    @Test
    void theDeployKeyCanBeGivenAsContentInsteadOfAFile() throws Exception {
        String content = Files.readString(keys.privateKeyFile());
        SshSettingsBuilder settings = new SshSettingsBuilder(SshDroplet.USER, null, content, null, emptyKnownHosts,
                TIMEOUT, Duration.ofSeconds(15));

        try (DropletShell shell = TestConnectors.connector(settings).connect(droplet(server.hostKeyFingerprint()))) {
            assertThat(shell.run("true", TIMEOUT).succeeded()).isTrue();
        }
    }

    @Test
    void aKeyGivenAsContentThatIsNotAKeyStopsStartUpWithoutQuotingIt() {
        SshSettingsBuilder settings = new SshSettingsBuilder(SshDroplet.USER, null, "not-a-key-but-a-secret", null,
                emptyKnownHosts, TIMEOUT, Duration.ofSeconds(15));

        assertThatExceptionOfType(BadSetting.class)
                .isThrownBy(() -> TestConnectors.connector(settings))
                .withMessageContaining("bluegreen.ssh.private-key-content")
                .withMessageNotContaining("not-a-key-but-a-secret");
    }

    @Test
    void aDropletBehindABastionIsReachedThroughIt() throws Exception {
        forwarded.clear();
        BastionSpec jump = new BastionSpec("127.0.0.1:" + bastion.getPort(), "jump", bastionFingerprint);

        try (DropletShell shell = connector(keyFile()).connect(droplet(server.hostKeyFingerprint()), jump)) {
            assertThat(shell.run("echo through the bastion", TIMEOUT).outputTail()).isEqualTo("through the bastion");
        }
        assertThat(forwarded).containsExactly(server.sshAddress());
    }

    @Test
    void aBastionWithAnUnexpectedHostKeyIsRefusedAndNamed() {
        BastionSpec jump = new BastionSpec("127.0.0.1:" + bastion.getPort(), "jump", otherFingerprint());

        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> connector(keyFile()).connect(droplet(server.hostKeyFingerprint()), jump))
                .withMessageStartingWith("The host key of the bastion 127.0.0.1:" + bastion.getPort()
                        + " in front of droplet 7")
                .withMessageContaining("This may be an attack");
    }

    @Test
    void aDropletUserOtherThanTheDefaultIsUsedForThatDroplet() {
        DropletSpec asRoot = new DropletSpec(7, server.sshAddress(), server.httpUrl().toString(), "root",
                server.hostKeyFingerprint());

        assertThatExceptionOfType(SshFailure.class)
                .isThrownBy(() -> connector(keyFile()).connect(asRoot))
                .withMessage("The deploy-agent could not log in to droplet 7 (" + server.sshAddress() + ") as root: "
                        + "the droplet did not accept the deploy key.");
    }

    private static Path keyFile() {
        return keys.privateKeyFile();
    }

    private static SshConnector connector(Path key) {
        return TestConnectors.connector(new SshSettingsBuilder(SshDroplet.USER, key, null, null, emptyKnownHosts,
                TIMEOUT, Duration.ofSeconds(15)));
    }

    private static DropletSpec droplet(String fingerprint) {
        return new DropletSpec(7, server.sshAddress(), server.httpUrl().toString(), null, fingerprint);
    }

    private static String otherFingerprint() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return HostKeyCheck.fingerprint(generator.generateKeyPair().getPublic());
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static SshServer startBastion() throws IOException {
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(folder.resolve("bastion_key"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        hostKeys.setKeySize(256);
        SshServer jump = SshServer.setUpDefaultServer();
        jump.setHost("127.0.0.1");
        jump.setPort(0);
        jump.setKeyPairProvider(hostKeys);
        jump.setPasswordAuthenticator(null);
        jump.setKeyboardInteractiveAuthenticator(null);
        jump.setPublickeyAuthenticator((user, key, session) ->
                "jump".equals(user) && KeyUtils.compareKeys(keys.publicKey(), key));
        jump.setForwardingFilter(new AcceptAllForwardingFilter() {

            @Override
            public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                forwarded.add(address.getHostName() + ":" + address.getPort());
                return super.canConnect(type, address, session);
            }
        });
        jump.start();
        bastionFingerprint = HostKeyCheck.fingerprint(hostKeys.loadKeys(null).iterator().next().getPublic());
        return jump;
    }
}
