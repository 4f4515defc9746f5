package dev.bluegreen.pipeline;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import io.micrometer.context.ThreadLocalAccessor;

/**
 * The deployment id in the MDC, as Micrometer's context propagation sees it: Reactor copies it from a Mono's Context
 * into the MDC of whichever thread runs the Mono's next step, and puts back what that thread had afterwards. Its key
 * in the Context is the MDC key itself ({@link DeploymentLogContext}).
 */
final class DeploymentIdAccessor implements ThreadLocalAccessor<String> {

    @Override
    public Object key() {
        return DeploymentIdInLogs.MDC_KEY;
    }

    @Override
    public @Nullable String getValue() {
        return MDC.get(DeploymentIdInLogs.MDC_KEY);
    }

    @Override
    public void setValue(String value) {
        MDC.put(DeploymentIdInLogs.MDC_KEY, value);
    }

    @Override
    public void setValue() {
        MDC.remove(DeploymentIdInLogs.MDC_KEY);
    }
}
