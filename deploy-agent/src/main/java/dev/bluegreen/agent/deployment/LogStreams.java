package dev.bluegreen.agent.deployment;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Colour;

/** Opens the live logs of steps and sends what they gathered every half second, so a quiet step still shows up. */
@Component
class LogStreams implements DisposableBean {

    static final long FLUSH_INTERVAL_MS = 500;

    private final SecretMasker masker;

    private final Set<StepLog> open = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deployment-log-flusher");
        thread.setDaemon(true);
        return thread;
    });

    @Autowired
    LogStreams(ConfigurableEnvironment environment) {
        this(SecretMasker.of(environment));
    }

    LogStreams(SecretMasker masker) {
        this.masker = masker;
        flusher.scheduleWithFixedDelay(() -> open.forEach(StepLog::flush), FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    SecretMasker masker() {
        return masker;
    }

    /** The log of one step on one droplet of {@code run}; close it when the step has ended. */
    StepLog open(DeploymentRun run, String app, Colour colour, long dropletId, String step) {
        StepLog log = new StepLog(app, colour, dropletId, step, masker, run::publish);
        open.add(log);
        return log;
    }

    void closed(StepLog log) {
        open.remove(log);
        log.close();
    }

    @Override
    public void destroy() {
        flusher.shutdownNow();
    }
}
