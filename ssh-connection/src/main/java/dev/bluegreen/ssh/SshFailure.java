package dev.bluegreen.ssh;

/**
 * A droplet could not be reached, would not let the agent in, or dropped the connection. The message says so in plain
 * words, names the droplet and its address, and never holds a secret.
 */
public class SshFailure extends Exception {

    /** What went wrong, for a caller that says what to fix ({@code bluegreen-preflight doctor}). */
    public enum Reason {
        /** The host key is not the one known_hosts lists or the apps file pins. */
        HOST_KEY_NOT_RECOGNISED,
        /** The host let the agent connect but refused the deploy key. */
        KEY_REFUSED,
        /** No connection, or it broke. */
        CONNECTION
    }

    private final Reason reason;

    SshFailure(String message) {
        this(Reason.CONNECTION, message);
    }

    SshFailure(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
