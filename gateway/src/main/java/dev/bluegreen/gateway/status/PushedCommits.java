package dev.bluegreen.gateway.status;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which commits each deployed ref of each app was pushed to, newest known last: learned from the DeployRequested
 * events with a commit on the lifecycle topic (a webhook's; the gateway reads them from the beginning on every start)
 * and from the pushes this instance takes, with the commits they moved the ref away from ({@code before}). A push
 * is known by what its git host signs (app, ref, commit), never by a delivery header: a push whose commit is the
 * ref's newest known one was deployed already; one whose commit is an older known one is a replay, or came late,
 * and deploys nothing. Bounded: the refs used longest ago and each ref's oldest commits are forgotten first.
 */
public final class PushedCommits {

    /** What the gateway knows of a pushed commit. */
    public enum Known {
        /** Nothing: a push of it deploys. */
        NEW,
        /** It is the ref's newest known commit: deployed already. */
        NEWEST,
        /** The ref has moved on from it. */
        OLDER
    }

    private static final int REFS = 10_000;
    private static final int COMMITS_PER_REF = 1_000;

    private final Map<String, RefCommits> refs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RefCommits> eldest) {
            return size() > REFS;
        }
    };

    /**
     * Takes a push's commit as the ref's newest, unless the gateway knows it already.
     *
     * @param before the commit the push moved the ref away from, if the host said; all zeros for a new ref
     * @return what was known of the commit before: only {@link Known#NEW} took it
     */
    public synchronized Known claim(String app, String ref, String commit, @Nullable String before) {
        RefCommits known = refs.computeIfAbsent(key(app, ref), key -> new RefCommits());
        Known verdict = known.of(commit);
        if (verdict == Known.NEW) {
            known.pushed(commit);
            if (before != null && !before.isBlank() && !before.matches("0+")) {
                known.older(before);
            }
        }
        return verdict;
    }

    /** Gives back a claim whose DeployRequested did not reach Kafka, so the host's retry deploys. */
    public synchronized void release(String app, String ref, String commit) {
        RefCommits known = refs.get(key(app, ref));
        if (known != null) {
            known.forget(commit);
        }
    }

    /** A commit read from the history, in the order the lifecycle topic holds it; one already known stays put. */
    synchronized void learned(String app, String ref, String commit) {
        RefCommits known = refs.computeIfAbsent(key(app, ref), key -> new RefCommits());
        if (known.of(commit) == Known.NEW) {
            known.pushed(commit);
        }
    }

    private static String key(String app, String ref) {
        return app + '\n' + ref;
    }

    private static final class RefCommits {
        private @Nullable String newest;
        private final Set<String> older = new LinkedHashSet<>();

        Known of(String commit) {
            return commit.equals(newest) ? Known.NEWEST : older.contains(commit) ? Known.OLDER : Known.NEW;
        }

        void pushed(String commit) {
            String previous = newest;
            newest = commit;
            if (previous != null) {
                older(previous);
            }
        }

        /** A commit the ref has moved on from; never the newest, which a late {@code before} may name. */
        void older(String commit) {
            if (commit.equals(newest)) {
                return;
            }
            older.add(commit);
            if (older.size() > COMMITS_PER_REF) {
                older.remove(older.iterator().next());
            }
        }

        void forget(String commit) {
            if (commit.equals(newest)) {
                newest = null;
            }
            older.remove(commit);
        }
    }
}
