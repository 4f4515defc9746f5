package dev.bluegreen.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bluegreen.agent.DeployAgentApplication;
import dev.bluegreen.gateway.GatewayApplication;
import dev.bluegreen.monitor.HealthMonitorApplication;
import dev.bluegreen.router.TrafficRouterApplication;

/**
 * The four services, each as several JVMs of its own, as they run in production: started from the test's class
 * path, against one Kafka cluster, one apps file and one DigitalOcean API.
 */
final class PipelineProcesses implements AutoCloseable {

    static final String DEPLOY_AGENT = "deploy-agent";
    static final String HEALTH_MONITOR = "health-monitor";
    static final String TRAFFIC_ROUTER = "traffic-router";
    static final String GATEWAY = "gateway";

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);

    private final Map<String, List<ServiceInstance>> instances = new LinkedHashMap<>();

    /**
     * Starts {@code count} instances of each service and waits until all of them are ready.
     *
     * @param digitalOceanApi the API the traffic-routers call, with {@code token}
     * @param extra settings for every instance, such as {@code --bluegreen.lifecycle.session-timeout=6s}
     * @param run names this pipeline's lifecycle streams ({@code <service>-<run>}), so that it shares no state with
     *     another pipeline a test ran on the same cluster
     */
    static PipelineProcesses start(int count, Path logs, String bootstrapServers, Path appsFile, String digitalOceanApi,
            String token, String gatewayToken, List<String> extra, String run) {
        PipelineProcesses pipeline = new PipelineProcesses();
        pipeline.run = run;
        try {
            List<String> common = new ArrayList<>(List.of("--bluegreen.config=" + appsFile,
                    "--spring.kafka.bootstrap-servers=" + bootstrapServers));
            common.addAll(extra);
            for (int i = 1; i <= count; i++) {
                pipeline.add(DEPLOY_AGENT, i, DeployAgentApplication.class, common, logs);
                pipeline.add(HEALTH_MONITOR, i, HealthMonitorApplication.class, common, logs);
                pipeline.add(TRAFFIC_ROUTER, i, TrafficRouterApplication.class, with(common,
                        "--bluegreen.digitalocean.api-url=" + digitalOceanApi,
                        "--bluegreen.digitalocean.token=" + token), logs);
                pipeline.add(GATEWAY, i, GatewayApplication.class, with(common,
                        "--bluegreen.gateway.tokens.test.secret=" + gatewayToken,
                        "--bluegreen.gateway.tokens.test.apps=*"), logs);
            }
            pipeline.all().forEach(instance -> instance.awaitReady(READY_WITHIN));
            return pipeline;
        }
        catch (RuntimeException | Error ex) {
            pipeline.close();
            throw ex;
        }
    }

    private String run = "";

    private void add(String service, int number, Class<?> mainClass, List<String> arguments, Path logs) {
        String name = service + "-" + number;
        List<String> withId = new ArrayList<>(arguments);
        withId.add("--bluegreen.lifecycle.application-id=" + service + "-" + run);
        instances.computeIfAbsent(service, key -> new ArrayList<>())
                .add(ServiceInstance.start(name, mainClass, withId, logs.resolve(name + ".log")));
    }

    private static List<String> with(List<String> common, String... more) {
        List<String> arguments = new ArrayList<>(common);
        arguments.addAll(List.of(more));
        return arguments;
    }

    List<ServiceInstance> instances(String service) {
        return instances.get(service);
    }

    List<ServiceInstance> all() {
        return instances.values().stream().flatMap(List::stream).toList();
    }

    /** The instance of the service that owns the app now, if one says so. */
    Optional<ServiceInstance> owner(String service, String app) {
        return instances(service).stream().filter(ServiceInstance::alive)
                .filter(instance -> instance.ownedApps().contains(app)).findFirst();
    }

    /** The first gateway that runs. */
    String gatewayUrl() {
        return instances(GATEWAY).stream().filter(ServiceInstance::alive).findFirst().orElseThrow().url();
    }

    @Override
    public void close() {
        all().forEach(ServiceInstance::close);
    }
}
