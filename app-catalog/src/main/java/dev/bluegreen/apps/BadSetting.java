package dev.bluegreen.apps;

/**
 * A setting that a service cannot start with. Throw it from wherever the setting is checked at start-up (a
 * constructor, a {@code @Bean} method): {@link BadSettingFailureAnalyzer} turns it into one message that names the key
 * and the fix, without a stack trace. The exception then leaves {@code main}, so the process exits with 1.
 * <p>
 * It is no {@code ExitCodeGenerator} on purpose: Spring Boot would then publish an {@code ExitCodeEvent} on the context
 * that failed to start, whose listeners' beans fail to be made in turn, and print their stack trace after the message.
 * <p>
 * The message and the fix are read by a person at a terminal: they name keys and files, never a secret's value.
 */
public class BadSetting extends RuntimeException {

    private final String key;
    private final String fix;

    /**
     * @param key the setting, such as {@code bluegreen.gateway.tokens.ci.apps}
     * @param problem what is wrong with it, a sentence that names the key
     * @param fix what to do about it, such as {@code Add 'blog' to the apps file, or remove it from ...}
     */
    public BadSetting(String key, String problem, String fix) {
        super(problem);
        this.key = key;
        this.fix = fix;
    }

    public String key() {
        return key;
    }

    public String fix() {
        return fix;
    }
}
