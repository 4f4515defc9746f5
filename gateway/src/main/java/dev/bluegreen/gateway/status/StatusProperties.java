package dev.bluegreen.gateway.status;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much the status projection keeps ({@code bluegreen.gateway.status.*}).
 *
 * @param history how many of each app's newest deployments are kept, and so can be shown
 */
@ConfigurationProperties("bluegreen.gateway.status")
@Validated
record StatusProperties(@DefaultValue("100") @Positive int history) {
}
