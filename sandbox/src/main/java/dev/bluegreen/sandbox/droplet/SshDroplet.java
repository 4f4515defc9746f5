package dev.bluegreen.sandbox.droplet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.history.SandboxHistory;

/**
 * A droplet: a real SSH server on 127.0.0.1 with a folder of its own. Commands arrive as SSH {@code exec}
 * requests and run as {@code sh -c <command>} in that folder, with {@code PORT} set to {@link #httpPort()} (where
 * the app must listen) and {@code HOME} to the folder. Only the user {@value #USER} logs in, with the one authorized
 * public key; passwords are refused. The host key is kept in the folder, so a restarted droplet keeps its identity.
 * Once told to ({@link #recordCommandsIn}), it records every command an SSH client runs in a {@link SandboxHistory}.
 */
public final class SshDroplet implements AutoCloseable {

    /** The only user that may log in. */
    public static final String USER = "deploy";

    private static final Logger log = LoggerFactory.getLogger(SshDroplet.class);
    private static final String HOST = "127.0.0.1";
    private static final String HOST_KEY_FILE = ".droplet/ssh_host_ecdsa_key";

    private final Path folder;
    private final int httpPort;
    private final SshServer server;
    private final PublicKey hostKey;
    private final DropletShell shell;
    private final RunningApp app;
    private final AtomicReference<@Nullable CommandRecording> recording;
    private boolean closed;

    private SshDroplet(Path folder, int httpPort, SshServer server, PublicKey hostKey, DropletShell shell,
            AtomicReference<@Nullable CommandRecording> recording) {
        this.folder = folder;
        this.httpPort = httpPort;
        this.server = server;
        this.hostKey = hostKey;
        this.shell = shell;
        this.app = new RunningApp(folder);
        this.recording = recording;
    }

    /** Where the droplet records the commands SSH clients run, and under which droplet id. */
    record CommandRecording(SandboxHistory history, long dropletId) {
    }

    /** Starts a droplet on free ports. */
    public static SshDroplet start(Path folder, PublicKey authorizedKey) {
        return start(folder, authorizedKey, 0, 0);
    }

    /**
     * Starts a droplet; a port of 0 picks a free one. An app left running in the folder by an earlier run that
     * was never closed is stopped first, so the droplet starts as after a reboot.
     *
     * @throws UncheckedIOException when the SSH port is taken or the folder cannot be written
     */
    public static SshDroplet start(Path folder, PublicKey authorizedKey, int sshPort, int httpPort) {
        Path home = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(home.resolve(HOST_KEY_FILE).getParent());
            new RunningApp(home).stop();
            int appPort = httpPort == 0 ? AppPorts.pick(InetAddress.getByName(HOST)) : httpPort;
            DropletShell shell = new DropletShell(home, appPort);
            SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(home.resolve(HOST_KEY_FILE));
            hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
            hostKeys.setKeySize(256);
            PublicKey hostKey = hostKeyOf(hostKeys);

            SshServer server = SshServer.setUpDefaultServer();
            server.setHost(HOST);
            server.setPort(sshPort);
            server.setKeyPairProvider(hostKeys);
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setGSSAuthenticator(null);
            server.setHostBasedAuthenticator(null);
            server.setPublickeyAuthenticator((user, key, session) ->
                    USER.equals(user) && KeyUtils.compareKeys(authorizedKey, key));
            AtomicReference<@Nullable CommandRecording> recording = new AtomicReference<>();
            server.setCommandFactory((channel, command) -> new ShellCommand(shell, command, recording.get()));
            server.start();
            SshDroplet droplet = new SshDroplet(home, appPort, server, hostKey, shell, recording);
            log.info("Droplet in {} listens for SSH at {} and serves its app at {}.", home, droplet.sshAddress(),
                    droplet.httpUrl());
            return droplet;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an SSH droplet on " + HOST + ":" + sshPort
                    + " with folder " + home + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey hostKeyOf(SimpleGeneratorHostKeyProvider hostKeys) {
        Iterator<KeyPair> keys = hostKeys.loadKeys(null).iterator();
        if (!keys.hasNext()) {
            throw new IllegalStateException("The droplet's host key could not be read or made");
        }
        return keys.next().getPublic();
    }

    /**
     * From now on, records every command an SSH client runs here in {@code history}, under the id the simulated
     * DigitalOcean gave this droplet. Commands run with {@link #exec} are the sandbox's own and are not recorded.
     */
    public void recordCommandsIn(SandboxHistory history, long dropletId) {
        recording.set(new CommandRecording(history, dropletId));
    }

    /**
     * Runs a command in the droplet's shell, as an SSH exec request would, without going through SSH; the history
     * does not record it.
     */
    public ExecResult exec(String command, Duration timeout) {
        return shell.run(command, timeout);
    }

    public Path folder() {
        return folder;
    }

    public String sshHost() {
        return HOST;
    }

    public int sshPort() {
        return server.getPort();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String sshAddress() {
        return HOST + ":" + sshPort();
    }

    /** The port the droplet's app listens on: what {@code $PORT} says in its shell. */
    public int httpPort() {
        return httpPort;
    }

    /** {@code http://127.0.0.1:PORT}, where the app answers directly, without the load balancer. */
    public URI httpUrl() {
        return URI.create("http://" + HOST + ":" + httpPort);
    }

    public PublicKey hostKey() {
        return hostKey;
    }

    /** The host key's fingerprint as OpenSSH prints it: {@code SHA256:} and unpadded base64. */
    public String hostKeyFingerprint() {
        try {
            byte[] blob = Base64.getDecoder().decode(PublicKeyEntry.toString(hostKey).split(" ")[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** This droplet's line for an OpenSSH {@code known_hosts} file: {@code [127.0.0.1]:PORT <type> <base64>}. */
    public String knownHostsLine() {
        return "[" + HOST + "]:" + sshPort() + " " + PublicKeyEntry.toString(hostKey);
    }

    /** The pid the app wrote to {@code app.pid}, if it runs. */
    public OptionalLong appPid() {
        return app.pid();
    }

    /** Stops the SSH server, the commands it still runs and the app a deploy step started. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("The SSH server of droplet {} did not stop cleanly: {}", folder, e.getMessage());
        }
        shell.destroyAll();
        app.stop();
        log.info("Droplet in {} stopped.", folder);
    }

    @Override
    public String toString() {
        return "SshDroplet[ssh=" + sshAddress() + ", http=" + httpUrl() + ", folder=" + folder + "]";
    }
}
