package dev.bluegreen.sandbox.history;

/**
 * The requests an entry point relayed in one second.
 *
 * @param start the start of the second, counted on the monotonic clock from the history's start
 * @param failed those answered with a status outside 2xx, or broken off on the droplet's side
 * @param abandoned those whose client went away first
 */
public record RequestWindow(Moment start, long requests, long failed, long abandoned) {
}
