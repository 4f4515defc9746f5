package dev.bluegreen.events;

/**
 * The idle colour is healthy, but the app's switch waits for approval: traffic moves only on PromoteRequested for
 * this deployment. Meanwhile the idle colour can be tried directly, as a preview.
 */
public record AwaitingPromotion(String app, Colour from, Colour to) implements PipelineEvent {
}
