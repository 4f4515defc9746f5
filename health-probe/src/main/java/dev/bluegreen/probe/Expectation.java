package dev.bluegreen.probe;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.HealthCheckSpec;
import dev.bluegreen.apps.SmokeCheck;

/**
 * What one probe asks of a droplet: a GET of {@code path} answered within {@code timeout} with
 * {@code expectedStatus}, and with {@code expectedBody} somewhere in the body when that is set.
 */
public record Expectation(String path, int expectedStatus, @Nullable String expectedBody, Duration timeout) {

    /** The app's health check, as one probe. */
    public static Expectation of(HealthCheckSpec check) {
        return new Expectation(check.path(), check.expectedStatus(), check.expectedBody(), check.timeout());
    }

    /** A smoke check, given the health check's timeout. */
    public static Expectation of(SmokeCheck smoke, Duration timeout) {
        return new Expectation(smoke.path(), smoke.expectedStatus(), smoke.expectedBody(), timeout);
    }

    boolean wantsBody() {
        return expectedBody != null;
    }

    /** As the end of a sentence: {@code 200}, or {@code 200 containing "ok"}. */
    public String inWords() {
        return expectedStatus + (expectedBody == null ? "" : " containing \"" + expectedBody + "\"");
    }
}
