package dev.bluegreen.lifecycle;

/** What a colour's droplets are good for, as far as the history tells. */
public enum ColourStatus {
    /** The balancer sends the app's traffic to it. */
    LIVE,
    /** It served before and no deploy step has touched it since: a rollback may move traffic back to it. */
    WARM,
    /**
     * A deployment was accepted for it since it last served, or it never served as far as the history goes: half
     * provisioned, failed, cancelled or never approved. Never a rollback target.
     */
    TOUCHED
}
