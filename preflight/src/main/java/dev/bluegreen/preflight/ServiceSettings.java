package dev.bluegreen.preflight;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bluegreen.apps.AppsFileProperties;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanProperties;
import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/**
 * The services' settings, bound from the same keys with the same rules, one part at a time: a part that is wrong
 * becomes a finding that names its key, instead of stopping the preflight before it checked the rest.
 */
public final class ServiceSettings {

    /** Two tries: enough to ride out one lost answer, few enough that an unreachable API is reported quickly. */
    private static final DigitalOceanProperties.Retry QUICK_RETRY =
            new DigitalOceanProperties.Retry(2, Duration.ofMillis(200), Duration.ofSeconds(1));

    private final Binder binder;

    public ServiceSettings(Environment environment) {
        this.binder = Binder.get(environment);
    }

    /** The apps file as given ({@code bluegreen.config}). */
    public String appsFile() {
        return binder.bindOrCreate("bluegreen", AppsFileProperties.class).config();
    }

    /** The deploy-agent's SSH settings ({@code bluegreen.ssh.*}). */
    public SshSettings ssh() {
        return binder.bindOrCreate("bluegreen.ssh", SshSettings.class);
    }

    /**
     * The deploy-agent's SSH connector, with the deploy key read and the known_hosts file found.
     *
     * @throws IllegalStateException saying which setting to fix
     */
    public SshConnector sshConnector(SshSettings ssh) {
        if (ssh.knownHosts() == null) {
            throw new IllegalStateException("bluegreen.ssh.known-hosts is not set. Set it (or "
                    + "BLUEGREEN_SSH_KNOWNHOSTS) to the known_hosts file that lists every droplet's host key; host "
                    + "keys are always checked.");
        }
        return new SshConnector(ssh);
    }

    /** The traffic-router's DigitalOcean settings ({@code bluegreen.digitalocean.*}). */
    public DigitalOceanProperties digitalOcean() {
        return binder.bindOrCreate("bluegreen.digitalocean", DigitalOceanProperties.class);
    }

    /** A client like the traffic-router's, that gives up sooner: the preflight only reads. */
    public DigitalOceanClient digitalOceanClient(DigitalOceanProperties settings) {
        return new DigitalOceanClient(WebClient.builder(), new DigitalOceanProperties(settings.apiUrl(),
                settings.token(), settings.timeout(), QUICK_RETRY));
    }

    /** What the services give a Kafka admin client: servers, security, SASL and SSL ({@code spring.kafka.*}). */
    public Map<String, Object> kafkaAdmin() {
        return binder.bindOrCreate("spring.kafka", KafkaProperties.class).buildAdminProperties();
    }

    /** How long the doctor waits for Kafka ({@code bluegreen.preflight.kafka-timeout}). */
    public Duration kafkaTimeout() {
        return binder.bindOrCreate("bluegreen.preflight", PreflightProperties.class).kafkaTimeout();
    }
}
