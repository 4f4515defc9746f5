package dev.bluegreen.apps;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.jspecify.annotations.Nullable;

/**
 * A request the idle colour must answer as expected before traffic moves to it, so that the idle colour acts as a
 * preview.
 *
 * @param path such as {@code /login}
 * @param expectedStatus default 200
 * @param expectedBody text the answer must contain, or null for any
 */
public record SmokeCheck(@NotBlank String path, @Min(100) @Max(599) int expectedStatus,
        @Nullable String expectedBody) {

    public SmokeCheck {
        expectedStatus = expectedStatus == 0 ? 200 : expectedStatus;
    }
}
