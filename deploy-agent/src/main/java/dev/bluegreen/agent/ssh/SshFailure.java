package dev.bluegreen.agent.ssh;

/**
 * A droplet could not be reached, would not let the agent in, or dropped the connection. The message says so in plain
 * words, names the droplet and its address, and never holds a secret.
 */
public class SshFailure extends Exception {

    SshFailure(String message) {
        super(message);
    }
}
