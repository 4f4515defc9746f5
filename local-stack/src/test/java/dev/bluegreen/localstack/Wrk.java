package dev.bluegreen.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady HTTP load from a separate process: {@code wrk} from Debian's packages ({@code apt-get install wrk}).
 * It runs until {@link #stop()} (SIGINT, after which wrk prints its summary) or its duration ends.
 */
final class Wrk {

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private final Process process;

    private Wrk(Process process) {
        this.process = process;
    }

    /** Starts load on {@code url} with a few connections, for at most {@code longest}. */
    static Wrk start(URI url, int connections, Duration longest) throws IOException {
        requireInstalled();
        Process process = new ProcessBuilder("wrk", "--threads", "1", "--connections", String.valueOf(connections),
                "--duration", longest.toSeconds() + "s", "--timeout", "5s", "--latency", url.toString())
                .redirectErrorStream(true).start();
        return new Wrk(process);
    }

    /** Stops the load and reads wrk's summary. */
    Result stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        return await();
    }

    /** Waits for wrk to end by itself and reads its summary. */
    Result await() throws IOException, InterruptedException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return Result.parse(output);
    }

    static void requireInstalled() throws IOException {
        try {
            if (new ProcessBuilder("wrk", "--version").start().waitFor() < 0) {
                throw new IOException("wrk did not run");
            }
        } catch (IOException | InterruptedException e) {
            throw new IOException("The load generator wrk is not installed: apt-get install wrk", e);
        }
    }

    /**
     * What wrk saw: every request counts, and a failed one is an answer other than 2xx/3xx or a socket error
     * (refused, reset, timed out).
     */
    record Result(long requests, double seconds, long non2xx, long socketErrors, Duration p50, Duration p99,
            String output) {

        public long failed() {
            return non2xx + socketErrors;
        }

        public double requestsPerSecond() {
            return requests / seconds;
        }

        static Result parse(String output) {
            Matcher requests = REQUESTS.matcher(output);
            if (!requests.find()) {
                throw new IllegalStateException("wrk printed no summary:\n" + output);
            }
            Matcher non2xx = NON_2XX.matcher(output);
            Matcher socket = SOCKET_ERRORS.matcher(output);
            long socketErrors = 0;
            if (socket.find()) {
                for (int group = 1; group <= 4; group++) {
                    socketErrors += Long.parseLong(socket.group(group));
                }
            }
            return new Result(Long.parseLong(requests.group(1)),
                    toDuration(requests.group(2), requests.group(3)).toNanos() / 1e9,
                    non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors,
                    percentile(output, "50%"), percentile(output, "99%"), output);
        }

        private static Duration percentile(String output, String which) {
            Matcher line = Pattern.compile("^\\s*" + Pattern.quote(which) + "\\s+([\\d.]+)(us|ms|s|m)\\s*$",
                    Pattern.MULTILINE).matcher(output);
            return line.find() ? toDuration(line.group(1), line.group(2)) : Duration.ZERO;
        }

        private static Duration toDuration(String number, String unit) {
            double value = Double.parseDouble(number);
            double nanos = switch (unit) {
                case "us" -> value * 1e3;
                case "ms" -> value * 1e6;
                case "s" -> value * 1e9;
                case "m" -> value * 60e9;
                default -> throw new IllegalArgumentException("unit " + unit);
            };
            return Duration.ofNanos((long) nanos);
        }

        @Override
        public String toString() {
            return "%d requests in %.1f s (%.0f/s), %d failed (%d non-2xx, %d socket errors), p50 %.2f ms, p99 %.2f ms"
                    .formatted(requests, seconds, requestsPerSecond(), failed(), non2xx, socketErrors,
                            p50.toNanos() / 1e6, p99.toNanos() / 1e6);
        }
    }
}
