package dev.bluegreen.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;


import dev.bluegreen.apps.DropletSpec;

/**
 * A logged-in SSH connection to one droplet. Runs commands one after the other, each in its own session; close it
 * when the droplet's work is done.
 */
public final class DropletShell implements AutoCloseable {

    private final SSHClient client;

    private final DropletSpec droplet;

    private final ExecutorService outputReaders;

    /** The connections to close with this shell: the droplet's, and the bastion's when it goes through one. */
    private final List<SSHClient> connections;

    DropletShell(SSHClient client, DropletSpec droplet, ExecutorService outputReaders, List<SSHClient> connections) {
        this.client = client;
        this.droplet = droplet;
        this.outputReaders = outputReaders;
        List<SSHClient> innermostFirst = new ArrayList<>(connections);
        Collections.reverse(innermostFirst);
        this.connections = List.copyOf(innermostFirst);
    }

    /**
     * Runs {@code command} with the droplet user's shell and waits for it, at most {@code timeout}. A command still
     * running then is killed, with every process it started in its process group, and reported as timed out; so is
     * one whose thread is interrupted, which then throws {@link InterruptedException}. A command reads nothing: its
     * standard input is /dev/null.
     *
     * @throws SshFailure when the connection is lost
     */
    public CommandResult run(String command, Duration timeout) throws SshFailure, InterruptedException {
        return run(command, timeout, OutputListener.IGNORED);
    }

    /**
     * Runs {@code command} as {@link #run(String, Duration)} does, and hands its output to {@code listener} as it
     * arrives.
     */
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws SshFailure, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(); // stopped before the command began: it does not begin
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        OutputTail output = new OutputTail();
        try (Session session = client.startSession();
                Session.Command running = session.exec(GroupedCommand.of(command))) {
            listen(running);
            Future<?> stdout = outputReaders.submit(() -> drain(running.getInputStream(), output, listener, 1));
            Future<?> stderr = outputReaders.submit(() -> drain(running.getErrorStream(), output, listener, 2));
            if (!endsBy(stdout, deadline) || !endsBy(stderr, deadline) || !closesBy(running, deadline)) {
                // closing the channel, as leaving this block does, is what stops the command: see GroupedCommand
                return new CommandResult(null, true, null, output.text());
            }
            Signal signal = running.getExitSignal();
            return new CommandResult(running.getExitStatus(), false, signal == null ? null : signal.name(),
                    output.text());
        }
        catch (ConnectionException | TransportException ex) {
            throw new SshFailure("The SSH connection to droplet " + droplet.id() + " (" + droplet.ssh()
                    + ") was lost: " + ex.getMessage());
        }
    }

    private static void drain(InputStream stream, OutputTail output, OutputListener listener, int fd) {
        byte[] buffer = new byte[8192];
        try {
            for (int read = stream.read(buffer); read != -1; read = stream.read(buffer)) {
                output.append(buffer, 0, read);
                listener.output(fd, buffer, 0, read);
            }
        }
        catch (IOException ex) {
            // the connection broke: the channel reports it when the command is waited for
        }
    }

    /**
     * Tells the command's wrapper that its standard input is watched, and keeps that input open: it ends when the
     * channel closes, and the wrapper then kills the command's process group.
     */
    private static void listen(Session.Command running) {
        try {
            running.getOutputStream().write(GroupedCommand.HELLO);
            running.getOutputStream().flush();
        }
        catch (IOException ex) {
            // the channel is already gone: reading the output and waiting say so
        }
    }

    /**
     * Waits for the output to end. When the waiting thread is stopped, the exception leaves the block that holds the
     * channel, and closing the channel kills the command as at a timeout.
     */
    private static boolean endsBy(Future<?> reading, long deadline) throws InterruptedException {
        try {
            reading.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (TimeoutException ex) {
            return false;
        }
        catch (ExecutionException ex) {
            return true; // drain() handles its own errors; there is nothing left to read
        }
    }

    /** The exit status arrives just before the channel closes; wait for the close so that it is there. */
    private static boolean closesBy(Session.Command running, long deadline)
            throws ConnectionException, InterruptedException {
        try {
            running.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (ConnectionException ex) {
            if (ex.getCause() instanceof TimeoutException) {
                return false;
            }
            if (ex.getCause() instanceof InterruptedException) {
                throw new InterruptedException();
            }
            throw ex;
        }
    }

    @Override
    public void close() {
        for (SSHClient connection : connections) {
            try {
                connection.close();
            }
            catch (IOException ex) {
                // the work on this droplet is over; a failed goodbye changes nothing
            }
        }
    }
}
