package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    private static final String SUMMARY = """
            Running 10s test @ http://127.0.0.1:8088/
              1 threads and 8 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     2.10ms    1.02ms  31.50ms   91.20%
                Req/Sec     3.90k   210.11     4.20k    70.00%
              Latency Distribution
                 50%    1.90ms
                 75%    2.30ms
                 90%    2.90ms
                 99%   12.40ms
              38812 requests in 10.00s, 5.44MB read
              Socket errors: connect 0, read 3, write 0, timeout 1
              Non-2xx or 3xx responses: 17
            Requests/sec:   3880.12
            Transfer/sec:    556.99KB
            """;

    @Test
    void readsRequestsFailuresAndPercentilesFromWrksSummary() {
        Wrk.Result result = Wrk.Result.parse(SUMMARY);

        assertThat(result.requests()).isEqualTo(38812);
        assertThat(result.failed()).isEqualTo(21);
        assertThat(result.requestsPerSecond()).isCloseTo(3881.2, org.assertj.core.data.Offset.offset(0.1));
        assertThat(result.p50()).isEqualTo(Duration.ofNanos(1_900_000));
        assertThat(result.p99()).isEqualTo(Duration.ofNanos(12_400_000));
    }

    @Test
    void aRunWithoutErrorsCountsNoFailures() {
        Wrk.Result result = Wrk.Result.parse(SUMMARY.replace("  Socket errors: connect 0, read 3, write 0, timeout 1\n", "")
                .replace("  Non-2xx or 3xx responses: 17\n", ""));

        assertThat(result.failed()).isZero();
    }
}
