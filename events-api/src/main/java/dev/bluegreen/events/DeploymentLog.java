package dev.bluegreen.events;

import java.util.List;

/**
 * A batch of output lines of one deploy step on one droplet, while it runs, so a person can follow a deployment live.
 * Batches are bounded in size and secrets are masked before they are published.
 *
 * @param sequence counts the batches of one step on one droplet from 0, so a reader can put them in order
 * @param lines the output lines of this batch, without line ends
 * @param truncated whether lines were left out of this batch to keep it within its bound
 */
public record DeploymentLog(String app, Colour colour, long dropletId, String step, long sequence, List<String> lines,
        boolean truncated) implements PipelineEvent {

    public DeploymentLog {
        lines = List.copyOf(lines);
    }
}
