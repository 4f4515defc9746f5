package dev.bluegreen.sandbox.sampleapp;

import java.time.Duration;
import java.util.List;

/**
 * How a droplet is brought to a version of the sample app. The sandbox bootstraps its live droplets with these
 * steps and writes the same ones into the apps file the deploy-agent follows, so the two cannot drift. Each runs
 * in the droplet's folder with {@code $PORT} set to the port the app must listen on.
 *
 * <p>No command may hold <code>${...}</code>: Spring reads the apps file and would take it for a placeholder of its
 * own.
 */
public final class SampleAppSteps {

    /** Prints the commit the droplet has checked out; run after the steps. */
    public static final String COMMIT_COMMAND = "git rev-parse HEAD";

    /** The app's directory on a droplet: the droplet's own folder, where its SSH commands start. */
    public static final String DIRECTORY = ".";

    static final Step FETCH = new Step("fetch", """
            { test -d .git || git -c init.defaultBranch=main init --quiet .; } \
            && { git remote set-url origin {{repository}} 2>/dev/null || git remote add origin {{repository}}; } \
            && git fetch --quiet --force --tags origin {{ref}}""", Duration.ofSeconds(60));

    static final Step CHECKOUT = new Step("checkout", "git checkout --quiet --force --detach FETCH_HEAD",
            Duration.ofSeconds(30));

    /** Stands in for {@code pip install}: the sample app needs only the standard library. */
    static final Step INSTALL = new Step("install", "python3 -m compileall -q .", Duration.ofSeconds(60));

    /**
     * Stops the running app gracefully (SIGTERM, then waits for it to exit), then starts the new one in the
     * background with all three standard streams redirected, so the SSH command can end while the app runs on.
     * The app writes {@code app.pid} once its port is bound; the step waits for that.
     */
    static final Step RESTART = new Step("restart", """
            [ -n "$PORT" ] || { echo "PORT must name the port the app listens on." >&2; exit 2; }
            alive() { kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }
            if [ -f app.pid ]; then
              old=$(cat app.pid)
              if alive "$old"; then
                kill -TERM "$old"
                i=0
                while alive "$old" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
                if alive "$old"; then
                  echo "The old app (pid $old) ignored SIGTERM for 10 s and is killed." >&2
                  kill -KILL "$old"
                fi
              fi
              rm -f app.pid
            fi
            nohup python3 app.py --port "$PORT" </dev/null >app.log 2>&1 &
            new=$!
            i=0
            while [ ! -f app.pid ] && alive "$new" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
            if [ ! -f app.pid ]; then
              echo "The app did not start on port $PORT; the end of app.log:" >&2
              tail -n 20 app.log >&2
              exit 1
            fi
            echo "The app runs with pid $(cat app.pid) on port $PORT."
            """, Duration.ofSeconds(30));

    /** Asks the new app for its home page through localhost, as the load balancer would. */
    static final Step SELF_TEST = new Step("self-test", """
            python3 -c '
            import os, sys, time, urllib.request
            url = "http://127.0.0.1:%s/" % os.environ["PORT"]
            deadline = time.monotonic() + 10
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=2) as answer:
                        print("%s answered %d: %s" % (url, answer.status, answer.read().decode().strip()))
                        sys.exit(0)
                except Exception as problem:
                    if time.monotonic() > deadline:
                        sys.exit("%s did not answer 200 within 10 s: %s" % (url, problem))
                time.sleep(0.2)
            '
            """, Duration.ofSeconds(30));

    private static final List<Step> STEPS = List.of(FETCH, CHECKOUT, INSTALL, RESTART, SELF_TEST);

    private SampleAppSteps() {
    }

    /** fetch, checkout, install, restart, self-test: in the order they run. */
    public static List<Step> deploySteps() {
        return STEPS;
    }
}
