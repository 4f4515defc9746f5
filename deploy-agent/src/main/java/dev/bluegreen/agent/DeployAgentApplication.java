package dev.bluegreen.agent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

import dev.bluegreen.ssh.SshConnector;
import dev.bluegreen.ssh.SshSettings;

/** The deploy-agent service. Its settings are in {@code deploy-agent.yml}; the apps come from the apps file. */
@SpringBootApplication
@ConfigurationPropertiesScan
// the SSH connection lives in its own library, which no scan reaches: the agent asks for it by name
@EnableConfigurationProperties(SshSettings.class)
@Import(SshConnector.class)
public class DeployAgentApplication {

    /**
     * The service, ready to be run, alone or next to the other services in one JVM. Its {@code deploy-agent.yml} and
     * the apps file take precedence over {@code properties(...)} given here; to override one of their settings, pass
     * it as an argument to {@code run("--server.port=0")}.
     */
    public static SpringApplicationBuilder application() {
        SshConnector.preloadCryptography();
        return new SpringApplicationBuilder(DeployAgentApplication.class).main(DeployAgentApplication.class)
                .properties("spring.config.name=deploy-agent");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
