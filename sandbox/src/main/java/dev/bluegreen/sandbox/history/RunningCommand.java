package dev.bluegreen.sandbox.history;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A command a droplet started for an SSH client; the droplet tells it how the command ended. Its state is guarded
 * by the history's lock.
 */
public final class RunningCommand {

    final SandboxHistory history;
    final long dropletId;
    final String command;
    final Moment started;
    /** Every stretch of serving the command overlapped so far, open ones included. */
    final List<Serving> servedDuring = new ArrayList<>();
    @Nullable Moment ended;
    @Nullable Integer exitStatus;
    boolean killed;

    RunningCommand(SandboxHistory history, long dropletId, String command, Moment started) {
        this.history = history;
        this.dropletId = dropletId;
        this.command = command;
        this.started = started;
    }

    /**
     * The command ended and its client was told; once only, later calls change nothing.
     *
     * @param killed whether the droplet killed it because its SSH channel closed first: the client went away, or
     *     the droplet stopped
     */
    public void ended(int exitStatus, boolean killed) {
        history.commandEnded(this, exitStatus, killed);
    }

    CommandRun snapshot(String dropletName) {
        String outcome = exitStatus == null ? "running"
                : killed ? "killed: its SSH channel closed before it ended (exit " + exitStatus + ")"
                : "exit " + exitStatus;
        return new CommandRun(dropletId, dropletName, command, started, ended, exitStatus, outcome);
    }
}
