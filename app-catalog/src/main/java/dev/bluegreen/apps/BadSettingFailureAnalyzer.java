package dev.bluegreen.apps;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link BadSetting} as Spring Boot's "APPLICATION FAILED TO START" block: the problem, which names the key,
 * and the fix. The exception is then counted as reported, so neither Spring Boot nor the JVM prints its stack trace.
 */
class BadSettingFailureAnalyzer extends AbstractFailureAnalyzer<BadSetting> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BadSetting cause) {
        return new FailureAnalysis(cause.getMessage(), cause.fix(), cause);
    }
}
