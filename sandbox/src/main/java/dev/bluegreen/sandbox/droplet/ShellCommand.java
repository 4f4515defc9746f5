package dev.bluegreen.sandbox.droplet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.droplet.SshDroplet.CommandRecording;
import dev.bluegreen.sandbox.history.RunningCommand;

/**
 * One SSH {@code exec} request: the command runs in the droplet's shell, its output streams back to the client,
 * and its exit status ends the channel. As with OpenSSH, the channel closes only when the command has exited and
 * nothing holds its output open, so a background process must redirect its standard streams.
 *
 * <p>This is where a droplet's history of commands is written: the start just before the shell starts, the end
 * once the client has been given all output and is about to get the exit status, so the recorded span holds all of
 * the command's run.
 */
final class ShellCommand implements Command {

    private static final Logger log = LoggerFactory.getLogger(ShellCommand.class);

    private final DropletShell shell;
    private final String command;
    private final @Nullable CommandRecording recording;
    private @Nullable OutputStream out;
    private @Nullable OutputStream err;
    private @Nullable ExitCallback exit;
    private volatile @Nullable Process process;
    private volatile boolean clientLeft;

    ShellCommand(DropletShell shell, String command, @Nullable CommandRecording recording) {
        this.shell = shell;
        this.command = command;
        this.recording = recording;
    }

    @Override
    public void setInputStream(InputStream in) {
        // Standard input is not forwarded: deploy steps read nothing.
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        RunningCommand recorded = recording == null ? null
                : recording.history().commandStarted(recording.dropletId(), command);
        Process started;
        try {
            started = shell.start(command);
        } catch (IOException | RuntimeException e) {
            if (recorded != null) {
                recorded.ended(127, false);
            }
            throw e;
        }
        process = started;
        Thread runner = new Thread(() -> finish(started, recorded), "droplet-exec-" + started.pid());
        runner.setDaemon(true);
        runner.start();
    }

    private void finish(Process started, @Nullable RunningCommand recorded) {
        Thread stdout = pump(started.getInputStream(), out);
        Thread stderr = pump(started.getErrorStream(), err);
        int status;
        try {
            status = started.waitFor();
            stdout.join();
            stderr.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        }
        log.debug("Command exited with status {} on a sandbox droplet.", status);
        if (recorded != null) {
            recorded.ended(status, clientLeft);
        }
        if (exit != null) {
            exit.onExit(status);
        }
    }

    private static Thread pump(InputStream from, @Nullable OutputStream to) {
        Thread thread = new Thread(() -> DropletShell.copy(from, to == null ? OutputStream.nullOutputStream() : to),
                "droplet-exec-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The client closed the channel: a command still running is killed, as it would lose its output anyway. */
    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running != null && running.isAlive()) {
            clientLeft = true;
            DropletShell.destroyTree(running.toHandle());
        }
    }
}
