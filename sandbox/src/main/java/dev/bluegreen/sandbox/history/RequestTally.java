package dev.bluegreen.sandbox.history;

import java.util.List;

/**
 * The requests an entry point relayed.
 *
 * @param requests all of them since the history started
 * @param failed those answered with a status outside 2xx, or whose answer broke off on the droplet's side
 * @param abandoned those whose client went away before it had the whole answer: not the balancer's failure
 * @param windows per second with any request, the latest {@value SandboxHistory#REQUEST_WINDOW_LIMIT}
 */
public record RequestTally(long requests, long failed, long abandoned, List<RequestWindow> windows) {

    public RequestTally {
        windows = List.copyOf(windows);
    }
}
