package dev.bluegreen.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for tests that must name a port before something binds it, or need one that nothing listens on. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port the OS says is free now, on every address: it binds port 0 and lets the port go again. Another process
     * may take it before the test binds it, so use it only where the thing to start cannot bind port 0 itself and tell
     * which port it got.
     */
    public static int any() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The OS has no free port to give", ex);
        }
    }
}
