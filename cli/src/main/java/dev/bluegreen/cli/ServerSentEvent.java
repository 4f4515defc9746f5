package dev.bluegreen.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * One server-sent event: its {@code id}, {@code event} name and {@code data}. Comments (heartbeats) are not events.
 */
record ServerSentEvent(String id, String event, String data) {

    /**
     * Reads events from {@code reader} and hands each to {@code onEvent} until it returns false or the stream ends.
     *
     * @return whether {@code onEvent} ended the reading
     */
    static boolean read(BufferedReader reader, Predicate<ServerSentEvent> onEvent) throws IOException {
        String id = "";
        String event = "";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !onEvent.test(new ServerSentEvent(id, event, data.toString()))) {
                    return true;
                }
                event = "";
                data = null;
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
        }
        return false;
    }
}
