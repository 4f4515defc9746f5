package dev.bluegreen.agent.traffic;

/** The agent could not make sure which colour of an app is live, so it must not deploy to either. */
public class LiveColourUnknownException extends Exception {

    LiveColourUnknownException(String message) {
        super(message);
    }
}
