package dev.bluegreen.gateway.stream;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code GET /api/events} serves its subscribers ({@code bluegreen.gateway.stream.*}).
 *
 * @param heartbeatInterval how often an idle-looking stream gets an SSE comment, so proxies keep it open
 * @param clientBuffer how many events wait for one slow subscriber before it is dropped
 * @param replayBuffer how many recent events are held for subscribers that resume with {@code Last-Event-ID}
 * @param maxSubscribers how many streams the gateway serves at once; one more is answered 429
 * @param maxSubscribersPerToken how many of them one token may hold open (anonymous readers of a public gateway: one
 *     address); one more is answered 429, so one client cannot take every stream
 * @param resumeWait how long a subscriber that resumes with {@code Last-Event-ID} from a gateway that just started
 *     waits for it to read the history again; past it, the stream starts with a comment that the missed events are
 *     not held
 */
@ConfigurationProperties("bluegreen.gateway.stream")
@Validated
record StreamProperties(
        @DefaultValue("15s") @DurationMin(millis = 100) Duration heartbeatInterval,
        @DefaultValue("256") @Positive int clientBuffer,
        @DefaultValue("1000") @Positive int replayBuffer,
        @DefaultValue("1000") @Positive int maxSubscribers,
        @DefaultValue("50") @Positive int maxSubscribersPerToken,
        @DefaultValue("10s") @DurationMin(millis = 0) Duration resumeWait) {
}
