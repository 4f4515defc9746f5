package dev.bluegreen.lifecycle;

import org.jspecify.annotations.Nullable;

/**
 * One colour of an app.
 *
 * @param status what it is good for
 * @param ref the ref last deployed to it, or null when the history does not say
 * @param commit the commit it runs, or null when the history does not say
 * @param deploymentId the deployment that last put code on it, or null
 */
public record ColourRecord(ColourStatus status, @Nullable String ref, @Nullable String commit,
        @Nullable String deploymentId) {

    static ColourRecord of(ColourStatus status) {
        return new ColourRecord(status, null, null, null);
    }

    ColourRecord with(ColourStatus newStatus) {
        return new ColourRecord(newStatus, ref, commit, deploymentId);
    }
}
