package dev.bluegreen.sandbox.history;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A command that ran on a droplet, at least for a moment, while the droplet took traffic.
 *
 * @param servedDuring each stretch of serving that overlapped the command, with its entry point
 * @param description all of it in one sentence, for a test's failure message
 */
public record CommandWhileServing(CommandRun command, List<ServingSpan> servedDuring, String description) {

    public CommandWhileServing {
        servedDuring = List.copyOf(servedDuring);
    }

    static CommandWhileServing of(CommandRun command, List<ServingSpan> servedDuring) {
        String sentence = "D" + command.toString().substring(1) + " while "
                + servedDuring.stream().map(ServingSpan::toString).collect(Collectors.joining("; and while "))
                + ".";
        return new CommandWhileServing(command, servedDuring, sentence);
    }

    @Override
    public String toString() {
        return description;
    }
}
