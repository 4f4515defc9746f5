package dev.bluegreen.apps;

/** An event or request names an app that the apps file does not configure. */
public class UnknownAppException extends RuntimeException {

    public UnknownAppException(String app) {
        super("No app named '" + app + "' is configured");
    }
}
