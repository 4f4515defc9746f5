package dev.bluegreen.sandbox.history;

import java.util.List;

/**
 * Everything the history holds at one moment, shaped for JSON: what {@code GET /sandbox/history} shows.
 *
 * @param commandsSeen how many commands SSH clients ran in all; {@code commands} holds the latest
 */
public record HistoryView(Moment started, Moment now, List<CommandWhileServing> commandsWhileServing,
        List<EntryPointView> entryPoints, long commandsSeen, List<CommandRun> commands) {

    /**
     * One load balancer or reserved IP.
     *
     * @param healthy the attached droplets its checker finds healthy now
     */
    public record EntryPointView(String id, String name, List<Long> attached, List<Long> healthy,
            List<Span> timesWithoutHealthyDroplet, RequestTally requests, List<FailedRequest> failedRequests,
            List<AttachmentChange> attachments, List<HealthChange> healthChanges) {
    }
}
