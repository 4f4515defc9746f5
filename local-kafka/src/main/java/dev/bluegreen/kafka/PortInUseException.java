package dev.bluegreen.kafka;

import org.jspecify.annotations.Nullable;

/** The port a {@link KraftBroker} was asked to listen on is taken, most likely by another Kafka. */
public class PortInUseException extends IllegalStateException {

    private final int port;

    PortInUseException(int port) {
        this(port, null);
    }

    PortInUseException(int port, @Nullable Throwable cause) {
        super("port " + port + " is in use by another process (is another Kafka broker running?); stop it, or choose "
                + "another port (0 picks a free one)", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
