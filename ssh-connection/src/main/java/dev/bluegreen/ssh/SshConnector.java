package dev.bluegreen.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.PasswordUtils;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.apps.BastionSpec;
import dev.bluegreen.apps.DropletSpec;

/**
 * Opens SSH connections to droplets, directly or through a bastion, as the deploy user (or the droplet's own user),
 * with the deploy key, checking every host key against the fingerprint pinned in the apps file or else the
 * known_hosts file. There is no way to skip that check: a host whose key is unknown or changed is not logged in to.
 */
public class SshConnector implements DisposableBean {

    private final SshSettings settings;

    private final Config config = new DefaultConfig();

    private final KeyProvider deployKey;

    private final ExecutorService outputReaders = Executors.newCachedThreadPool(daemonThreads("ssh-output-"));

    private final ScheduledExecutorService loginWatchdog =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("ssh-login-watchdog-"));

    /**
     * @throws BadSetting when the deploy key or the known_hosts file cannot be read, saying which setting to fix and
     *     how
     */
    public SshConnector(SshSettings settings) {
        this.settings = settings;
        requireReadable(settings.knownHosts(), "bluegreen.ssh.known-hosts", "known_hosts file");
        this.deployKey = loadDeployKey();
        if (!settings.keepAlive().isZero()) {
            // sends keep-alive requests while a long step is quiet, and drops a connection that stops answering them
            config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        }
    }

    /**
     * Starts loading sshj's cryptography on a daemon thread of its own, for a service to call as it starts. sshj
     * registers BouncyCastle on first use: some 800 classes from a signed jar, which class data sharing cannot hold,
     * about half a second that would otherwise hold up this connector's creation on the thread building the context.
     * Loaded meanwhile, it overlaps Spring reading the configuration. Calling it more than once does no harm.
     */
    public static void preloadCryptography() {
        Thread preload = new Thread(SecurityUtils::getSecurityProvider, "ssh-cryptography-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /** Connects straight to the droplet; see {@link #connect(DropletSpec, BastionSpec)}. */
    public DropletShell connect(DropletSpec droplet) throws SshFailure {
        return connect(droplet, null);
    }

    /**
     * Connects to the droplet, through the bastion when there is one, and logs in, within
     * {@code bluegreen.ssh.connect-timeout}. The host keys of both are verified.
     *
     * @throws SshFailure when the droplet cannot be reached, its host key is not recognised, or it refuses the key
     */
    public DropletShell connect(DropletSpec droplet, @Nullable BastionSpec bastion) throws SshFailure {
        List<SSHClient> clients = new ArrayList<>();
        AtomicBoolean tooSlow = new AtomicBoolean();
        // a server that accepts the connection but never speaks SSH would otherwise hang the deployment
        ScheduledFuture<?> watchdog = loginWatchdog.schedule(() -> {
            tooSlow.set(true);
            closeQuietly(clients);
        }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String dropletWhere = "droplet " + droplet.id() + " (" + droplet.ssh() + ")";
        try {
            DirectConnection tunnel = null;
            if (bastion != null) {
                String bastionWhere = "the bastion " + bastion.ssh() + " in front of " + dropletWhere;
                HostKeyCheck bastionKeys = new HostKeyCheck(settings.knownHosts().toFile(), bastion.hostKey());
                SSHClient jump = client(clients, bastionKeys, tooSlow);
                Stage stage = new Stage(bastionKeys, bastionWhere, settings.userOf(bastion.user()));
                stage.run(() -> jump.connect(bastion.sshHost(), bastion.sshPort()));
                stage.run(() -> jump.authPublickey(settings.userOf(bastion.user()), deployKey));
                tunnel = stage.call(() -> jump.newDirectConnection(droplet.sshHost(), droplet.sshPort()));
            }
            HostKeyCheck dropletKeys = new HostKeyCheck(settings.knownHosts().toFile(), droplet.hostKey());
            SSHClient client = client(clients, dropletKeys, tooSlow);
            Stage stage = new Stage(dropletKeys, dropletWhere, settings.userOf(droplet.user()));
            DirectConnection through = tunnel;
            stage.run(() -> {
                if (through == null) {
                    client.connect(droplet.sshHost(), droplet.sshPort());
                }
                else {
                    client.connectVia(through);
                }
            });
            stage.run(() -> client.authPublickey(settings.userOf(droplet.user()), deployKey));
            watchdog.cancel(false);
            if (tooSlow.get()) {
                throw new StageFailure(stage, new SocketTimeoutException());
            }
            return new DropletShell(client, droplet, outputReaders, clients);
        }
        catch (StageFailure ex) {
            watchdog.cancel(false);
            closeQuietly(clients);
            throw failure(ex.stage, tooSlow.get() ? new SocketTimeoutException() : ex.getCause());
        }
        catch (IOException ex) {
            watchdog.cancel(false);
            closeQuietly(clients);
            throw new SshFailure("The known_hosts file " + settings.knownHosts() + " could not be read: "
                    + ex.getMessage());
        }
    }

    private SSHClient client(List<SSHClient> clients, HostKeyCheck hostKeys, AtomicBoolean tooSlow) {
        SSHClient client = new SSHClient(config);
        synchronized (clients) {
            clients.add(client);
        }
        if (tooSlow.get()) {
            closeQuietly(clients);
        }
        client.addHostKeyVerifier(hostKeys);
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        return client;
    }

    private SshFailure failure(Stage stage, Throwable ex) {
        String where = stage.where;
        if (hostKeyRejected(ex)) {
            HostKeyCheck check = stage.hostKeys;
            if (check.isPinned()) {
                return new SshFailure(SshFailure.Reason.HOST_KEY_NOT_RECOGNISED, "The host key of " + where
                        + " does not match the fingerprint pinned in the apps file (its key has fingerprint "
                        + check.refusedFingerprint() + "). This may be an attack (someone between the deploy-agent "
                        + "and the droplet), so the deploy-agent did not log in. If the machine was rebuilt, check its "
                        + "new host key and update the pinned fingerprint.");
            }
            return new SshFailure(SshFailure.Reason.HOST_KEY_NOT_RECOGNISED, "The host key of " + where
                    + " was not recognised: it is not in the known_hosts file " + settings.knownHosts()
                    + ", or it has changed. This may be an attack (someone between the deploy-agent and the "
                    + "droplet), so the deploy-agent did not log in. If the droplet was rebuilt, check its new host "
                    + "key and update the known_hosts file.");
        }
        if (causeOf(ex, UserAuthException.class) != null) {
            return new SshFailure(SshFailure.Reason.KEY_REFUSED, "The deploy-agent could not log in to " + where
                    + " as " + stage.user + ": the " + (where.startsWith("the bastion") ? "bastion" : "droplet")
                    + " did not accept the deploy key.");
        }
        if (causeOf(ex, ConnectException.class) != null) {
            return new SshFailure("The SSH connection to " + where + " was refused: is it up and its SSH "
                    + "server running?");
        }
        if (causeOf(ex, SocketTimeoutException.class) != null) {
            return new SshFailure("The SSH connection to " + where + " timed out: the "
                    + (where.startsWith("the bastion") ? "bastion" : "droplet") + " did not answer and let the "
                    + "deploy-agent log in within " + humanReadable(settings.connectTimeout()) + ".");
        }
        if (causeOf(ex, UnknownHostException.class) != null) {
            return new SshFailure("The address of " + where + " could not be resolved.");
        }
        if (causeOf(ex, NoRouteToHostException.class) != null) {
            return new SshFailure("There is no network route to " + where + ".");
        }
        return new SshFailure("The SSH connection to " + where + " failed: " + ex.getMessage());
    }

    /** One machine on the way to the droplet, for a failure that names the right one. */
    private record Stage(HostKeyCheck hostKeys, String where, String user) {

        void run(IoAction action) throws StageFailure {
            call(() -> {
                action.run();
                return null;
            });
        }

        <T> T call(IoCall<T> call) throws StageFailure {
            try {
                return call.call();
            }
            catch (IOException | RuntimeException ex) {
                throw new StageFailure(this, ex);
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static final class StageFailure extends Exception {

        private final transient Stage stage;

        StageFailure(Stage stage, Throwable cause) {
            super(cause);
            this.stage = stage;
        }
    }

    private static boolean hostKeyRejected(Throwable ex) {
        TransportException transport = causeOf(ex, TransportException.class);
        return transport != null && transport.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE;
    }

    private static <T extends Throwable> @Nullable T causeOf(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private KeyProvider loadDeployKey() {
        Path path = settings.privateKey();
        String content = settings.privateKeyContent();
        if ((path == null) == (content == null || content.isBlank())) {
            throw new BadSetting("bluegreen.ssh.private-key", "The deploy key is set " + (path == null ? "neither as "
                    + "a file (bluegreen.ssh.private-key) nor as its content (bluegreen.ssh.private-key-content): one "
                    + "of them is required." : "both as a file (bluegreen.ssh.private-key) and as its content "
                    + "(bluegreen.ssh.private-key-content): set one of them, not both."), "Set "
                    + "bluegreen.ssh.private-key (BLUEGREEN_SSH_PRIVATEKEY) to the path of the deploy key, or put the "
                    + "key itself in the environment variable BLUEGREEN_SSH_PRIVATEKEYCONTENT.");
        }
        String source = path != null ? "in " + path + " (bluegreen.ssh.private-key)"
                : "given as content (bluegreen.ssh.private-key-content)";
        if (path != null) {
            requireReadable(path, "bluegreen.ssh.private-key", "SSH private key file");
        }
        try (SSHClient keyReader = new SSHClient(config)) {
            String passphrase = settings.privateKeyPassphrase();
            PasswordFinder password = passphrase == null ? null : PasswordUtils.createOneOff(passphrase.toCharArray());
            KeyProvider key = path != null ? keyReader.loadKeys(path.toString(), password)
                    : keyReader.loadKeys(content.replace("\\n", "\n"), null, password);
            key.getPrivate(); // read it now, so a bad key or passphrase stops start-up rather than the first deployment
            return key;
        }
        catch (IOException | RuntimeException ex) {
            // the cause is left out on purpose: key parsers may quote what they read
            throw new BadSetting(path != null ? "bluegreen.ssh.private-key" : "bluegreen.ssh.private-key-content",
                    "The SSH private key " + source + " could not be read: it is no private key in OpenSSH or PEM "
                    + "format, or it is encrypted and bluegreen.ssh.private-key-passphrase is wrong or missing.",
                    "Give the deploy key in OpenSSH or PEM format and, if it is encrypted, its passphrase in "
                    + "BLUEGREEN_SSH_PRIVATEKEYPASSPHRASE.");
        }
    }

    private static void requireReadable(Path path, String key, String what) {
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new BadSetting(key, "There is no readable " + what + " at " + path + " (" + key + ").", "Set " + key
                    + " to the path of the " + what + ", readable by the user the deploy-agent runs as.");
        }
    }

    /** {@code 10s}, {@code 5m}, {@code 1m30s}. */
    private static String humanReadable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static void closeQuietly(List<SSHClient> clients) {
        synchronized (clients) {
            for (SSHClient client : clients) {
                try {
                    client.close();
                }
                catch (IOException | RuntimeException ex) {
                    // nothing more to do with a connection that failed
                }
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void destroy() {
        outputReaders.shutdownNow();
        loginWatchdog.shutdownNow();
    }
}
