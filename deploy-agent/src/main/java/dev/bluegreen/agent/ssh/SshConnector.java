package dev.bluegreen.agent.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.DropletSpec;

/**
 * Opens SSH connections to droplets as the deploy user, with the deploy key, checking every droplet's host key against
 * the known_hosts file. There is no way to skip that check: a droplet whose key is unknown or changed is not logged in
 * to.
 */
@Component
public class SshConnector implements DisposableBean {

    private final SshSettings settings;

    private final Config config = new DefaultConfig();

    private final KeyProvider deployKey;

    private final ExecutorService outputReaders = Executors.newCachedThreadPool(daemonThreads("ssh-output-"));

    private final ScheduledExecutorService loginWatchdog =
            Executors.newSingleThreadScheduledExecutor(daemonThreads("ssh-login-watchdog-"));

    SshConnector(SshSettings settings) {
        this.settings = settings;
        requireReadable(settings.knownHosts(), "bluegreen.ssh.known-hosts", "known_hosts file");
        this.deployKey = loadDeployKey();
    }

    /**
     * Connects to the droplet and logs in, within {@code bluegreen.ssh.connect-timeout}.
     *
     * @throws SshFailure when the droplet cannot be reached, its host key is not recognised, or it refuses the key
     */
    public DropletShell connect(DropletSpec droplet) throws SshFailure {
        SSHClient client = new SSHClient(config);
        AtomicBoolean tooSlow = new AtomicBoolean();
        // a server that accepts the connection but never speaks SSH would otherwise hang the deployment
        ScheduledFuture<?> watchdog = loginWatchdog.schedule(() -> {
            tooSlow.set(true);
            closeQuietly(client);
        }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            client.loadKnownHosts(settings.knownHosts().toFile());
            client.setConnectTimeout((int) settings.connectTimeout().toMillis());
            client.connect(droplet.sshHost(), droplet.sshPort());
            client.authPublickey(settings.user(), deployKey);
            watchdog.cancel(false);
            if (tooSlow.get()) {
                throw new SocketTimeoutException();
            }
            return new DropletShell(client, droplet, outputReaders);
        }
        catch (IOException | RuntimeException ex) {
            watchdog.cancel(false);
            closeQuietly(client);
            throw failure(droplet, tooSlow.get() ? new SocketTimeoutException() : ex);
        }
    }

    private SshFailure failure(DropletSpec droplet, Exception ex) {
        String where = "droplet " + droplet.id() + " (" + droplet.ssh() + ")";
        if (hostKeyRejected(ex)) {
            return new SshFailure("The host key of " + where + " was not recognised: it is not in the known_hosts file "
                    + settings.knownHosts() + ", or it has changed. This may be an attack (someone between the "
                    + "deploy-agent and the droplet), so the deploy-agent did not log in. If the droplet was rebuilt, "
                    + "check its new host key and update the known_hosts file.");
        }
        if (causeOf(ex, UserAuthException.class) != null) {
            return new SshFailure("The deploy-agent could not log in to " + where + " as " + settings.user()
                    + ": the droplet did not accept the deploy key.");
        }
        if (causeOf(ex, ConnectException.class) != null) {
            return new SshFailure("The SSH connection to " + where + " was refused: is the droplet up and its SSH "
                    + "server running?");
        }
        if (causeOf(ex, SocketTimeoutException.class) != null) {
            return new SshFailure("The SSH connection to " + where + " timed out: the droplet did not answer and "
                    + "let the deploy-agent log in within " + humanReadable(settings.connectTimeout()) + ".");
        }
        if (causeOf(ex, UnknownHostException.class) != null) {
            return new SshFailure("The address of " + where + " could not be resolved.");
        }
        if (causeOf(ex, NoRouteToHostException.class) != null) {
            return new SshFailure("There is no network route to " + where + ".");
        }
        return new SshFailure("The SSH connection to " + where + " failed: " + ex.getMessage());
    }

    private static boolean hostKeyRejected(Exception ex) {
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
        requireReadable(path, "bluegreen.ssh.private-key", "SSH private key file");
        try (SSHClient keyReader = new SSHClient(config)) {
            String passphrase = settings.privateKeyPassphrase();
            KeyProvider key = passphrase == null ? keyReader.loadKeys(path.toString())
                    : keyReader.loadKeys(path.toString(), passphrase);
            key.getPrivate(); // read it now, so a bad key or passphrase stops start-up rather than the first deployment
            return key;
        }
        catch (IOException | RuntimeException ex) {
            // the cause is left out on purpose: key parsers may quote what they read
            throw new IllegalStateException("The SSH private key in " + path + " (bluegreen.ssh.private-key) could "
                    + "not be read: check that it is a private key in OpenSSH or PEM format and, if it is encrypted, "
                    + "that bluegreen.ssh.private-key-passphrase is right.");
        }
    }

    private static void requireReadable(Path path, String key, String what) {
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new IllegalStateException("There is no readable " + what + " at " + path + " (" + key + ").");
        }
    }

    /** {@code 10s}, {@code 5m}, {@code 1m30s}. */
    private static String humanReadable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.close();
        }
        catch (IOException | RuntimeException ex) {
            // nothing more to do with a connection that failed
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
