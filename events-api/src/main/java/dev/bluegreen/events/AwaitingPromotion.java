package dev.bluegreen.events;

import java.util.List;

/**
 * The idle colour is healthy, but the app's switch waits for approval: traffic moves only on PromoteRequested for
 * this deployment, and a CancelRequested rejects it. Meanwhile the idle colour can be tried directly, as a preview.
 *
 * @param preview the {@code to} colour's droplets, each with its address and the app's URL on it, for tests to run
 *     against before the switch is approved; null in events published before this field was added (optional within
 *     version 1)
 */
public record AwaitingPromotion(String app, Colour from, Colour to, List<PreviewDroplet> preview)
        implements PipelineEvent {

    public AwaitingPromotion {
        preview = preview == null ? null : List.copyOf(preview);
    }

    /** Without a preview, as events published before the field was added read. */
    public AwaitingPromotion(String app, Colour from, Colour to) {
        this(app, from, to, null);
    }
}
