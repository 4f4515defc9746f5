package dev.bluegreen.preflight;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The preflight's own settings ({@code bluegreen.preflight.*}); every other setting it reads is a service's.
 *
 * @param kafkaTimeout how long the doctor waits for Kafka to describe its cluster before it reports that Kafka did not answer
 */
@ConfigurationProperties("bluegreen.preflight")
public record PreflightProperties(@DefaultValue("10s") Duration kafkaTimeout) {
}
