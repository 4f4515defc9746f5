package dev.bluegreen.sandbox.history;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * At most {@code limit} items and a count of all: either the first ones (so a list of faults that was ever
 * non-empty stays so) or the latest ones (a timeline to look at). Not thread-safe: its owner's lock guards it.
 */
final class Kept<T> {

    private final Deque<T> items = new ArrayDeque<>();
    private final int limit;
    private final boolean latest;
    private long count;

    private Kept(int limit, boolean latest) {
        this.limit = limit;
        this.latest = latest;
    }

    static <T> Kept<T> first(int limit) {
        return new Kept<>(limit, false);
    }

    static <T> Kept<T> latest(int limit) {
        return new Kept<>(limit, true);
    }

    void add(T item) {
        count++;
        if (items.size() < limit) {
            items.addLast(item);
        } else if (latest) {
            items.removeFirst();
            items.addLast(item);
        }
    }

    /** The last item kept, in a list of the latest items. */
    @Nullable T last() {
        return items.peekLast();
    }

    List<T> items() {
        return List.copyOf(items);
    }

    /** How many were added, kept or not. */
    long count() {
        return count;
    }
}
