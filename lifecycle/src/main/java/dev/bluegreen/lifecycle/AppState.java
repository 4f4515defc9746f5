package dev.bluegreen.lifecycle;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;

/**
 * An app's state as of some point of its ordered history: which colour is live, what each colour is good for, the
 * deployment or rollback under way, the bake watch, and how the last one ended. Immutable; {@link #apply} gives the
 * next state.
 *
 * @param app the app's name
 * @param live the colour the balancer sends traffic to
 * @param blue the blue colour
 * @param green the green colour
 * @param current the deployment or rollback under way, or null when the app is idle
 * @param bake the watch over the colour that went live last, or null
 * @param last how the last deployment or rollback ended, or null before the first
 * @param recentIds the ids of the latest requests decided, newest last, so that a redelivered request is not taken
 *     for a new one; at most {@value #REMEMBERED_IDS}
 * @param applied how many events this state was folded from
 */
public record AppState(String app, Colour live, ColourRecord blue, ColourRecord green, @Nullable Operation current,
        @Nullable Bake bake, @Nullable Outcome last, List<String> recentIds, long applied) {

    static final int REMEMBERED_IDS = 64;

    public AppState {
        recentIds = List.copyOf(recentIds);
    }

    /**
     * The state before any recorded event: {@code live} serves, as the apps file's initial live colour says, and the
     * other colour has never served as far as anyone knows.
     */
    public static AppState initial(String app, Colour live) {
        ColourRecord serving = ColourRecord.of(ColourStatus.LIVE);
        ColourRecord untried = ColourRecord.of(ColourStatus.TOUCHED);
        return new AppState(app, live, live == Colour.BLUE ? serving : untried,
                live == Colour.GREEN ? serving : untried, null, null, null, List.of(), 0);
    }

    /** The next state after {@code event}, and the decision taken on it. */
    public Transition apply(Envelope event) {
        return Fold.apply(this, event);
    }

    public ColourRecord colour(Colour colour) {
        return colour == Colour.BLUE ? blue : green;
    }

    /** The colour that does not take traffic. */
    public Colour idle() {
        return live.other();
    }

    /** Whether nothing is under way: the app takes a deployment or a rollback. */
    public boolean idleApp() {
        return current == null;
    }

    /** The phase of what is under way, or null when nothing is. */
    public @Nullable Phase phase() {
        return current == null ? null : current.phase();
    }

    /**
     * The colours a deploy step may run on right now: the target of a deployment that is provisioning. Never the
     * live colour, and never a colour traffic may move to while the step runs.
     */
    public @Nullable Colour provisioningColour() {
        return current != null && current.phase() == Phase.PROVISIONING ? current.target() : null;
    }

    boolean remembers(String id) {
        return recentIds.contains(id) || current != null && current.id().equals(id);
    }

    AppState with(Colour colour, ColourRecord record) {
        return new AppState(app, live, colour == Colour.BLUE ? record : blue, colour == Colour.GREEN ? record : green,
                current, bake, last, recentIds, applied);
    }

    AppState withLive(Colour newLive) {
        return new AppState(app, newLive, blue, green, current, bake, last, recentIds, applied);
    }

    AppState withCurrent(@Nullable Operation operation) {
        return new AppState(app, live, blue, green, operation, bake, last, recentIds, applied);
    }

    AppState withBake(@Nullable Bake newBake) {
        return new AppState(app, live, blue, green, current, newBake, last, recentIds, applied);
    }

    AppState ended(Outcome outcome) {
        return new AppState(app, live, blue, green, null, bake, outcome, recentIds, applied);
    }

    AppState remembering(String id) {
        if (recentIds.contains(id)) {
            return this;
        }
        List<String> ids = new ArrayList<>(recentIds);
        ids.add(id);
        while (ids.size() > REMEMBERED_IDS) {
            ids.remove(0);
        }
        return new AppState(app, live, blue, green, current, bake, last, ids, applied);
    }

    AppState counted() {
        return new AppState(app, live, blue, green, current, bake, last, recentIds, applied + 1);
    }
}
