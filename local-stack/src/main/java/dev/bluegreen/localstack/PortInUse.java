package dev.bluegreen.localstack;

import java.net.BindException;

/** Turns a start-up failure into a sentence; a taken port is the common case and says which port. */
final class PortInUse {

    private PortInUse() {
    }

    static String explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                return cause.getMessage() + ". Another program (or an earlier local stack) holds that port: stop it,"
                        + " or free the port, and start again.";
            }
        }
        return String.valueOf(failure.getMessage());
    }
}
