package dev.bluegreen.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The module boundaries, as rules over packages: each service keeps its classes to itself (a service, the preflight
 * or a library that needs one of them needs a library instead), and the libraries neither talk to Kafka nor serve
 * HTTP. {@link ModuleBoundariesTest} checks them on every module's classes; {@link ModuleRulesCatchViolationsTest}
 * shows that each one fails on a class that breaks it.
 */
final class ModuleRules {

    /** The services' packages: deploy-agent, health-monitor, traffic-router, gateway. */
    static final List<String> SERVICES = List.of("dev.bluegreen.agent..", "dev.bluegreen.monitor..",
            "dev.bluegreen.router..", "dev.bluegreen.gateway..");

    /** The libraries that have no business with Kafka: the events' serializer and pipeline-kafka do, by design. */
    static final String[] LIBRARIES_WITHOUT_KAFKA = {"dev.bluegreen.apps..", "dev.bluegreen.lifecycle..",
        "dev.bluegreen.digitalocean..", "dev.bluegreen.ssh..", "dev.bluegreen.probe..", "dev.bluegreen.deployplan..",
        "dev.bluegreen.trafficplan..", "dev.bluegreen.commandline.."};

    /** The libraries that make no HTTP calls and serve none. */
    static final String[] LIBRARIES_WITHOUT_HTTP = {"dev.bluegreen.events..", "dev.bluegreen.lifecycle..",
        "dev.bluegreen.apps..", "dev.bluegreen.pipeline..", "dev.bluegreen.ssh..", "dev.bluegreen.deployplan..",
        "dev.bluegreen.trafficplan..", "dev.bluegreen.commandline.."};

    /** The libraries that are HTTP clients (of DigitalOcean's API, of a droplet's health path), and serve nothing. */
    static final String[] HTTP_CLIENT_LIBRARIES = {"dev.bluegreen.digitalocean..", "dev.bluegreen.probe.."};

    static final String[] KAFKA = {"org.apache.kafka..", "org.springframework.kafka..",
        "org.springframework.boot.kafka.."};

    static final String[] SPRING_WEB = {"org.springframework.web..", "org.springframework.http.."};

    /** Spring's server side: controllers, handlers, router functions, the embedded server. */
    static final String[] SPRING_WEB_SERVER = {"org.springframework.web.bind..", "org.springframework.web.server..",
        "org.springframework.web.reactive.function.server..", "org.springframework.web.reactive.result..",
        "org.springframework.web.servlet..", "org.springframework.http.server..",
        "org.springframework.boot.web.server.."};

    /** No class outside a service uses its classes: not another service, nor the preflight, nor a library. */
    static final ArchRule SERVICES_KEEP_THEIR_CLASSES = CompositeArchRule.of(SERVICES.stream()
            .map(service -> noClasses().that().resideOutsideOfPackage(service)
                    .should().dependOnClassesThat().resideInAPackage(service)
                    .because("a service's classes are its own: what two modules share belongs in a library"))
            .toList());

    static final ArchRule LIBRARIES_STAY_CLEAR_OF_KAFKA = noClasses().that()
            .resideInAnyPackage(LIBRARIES_WITHOUT_KAFKA)
            .should().dependOnClassesThat().resideInAnyPackage(KAFKA)
            .because("only the event contract and pipeline-kafka speak Kafka: the rest serve the preflight too");

    static final ArchRule PLAIN_LIBRARIES_STAY_CLEAR_OF_SPRING_WEB = noClasses().that()
            .resideInAnyPackage(LIBRARIES_WITHOUT_HTTP)
            .should().dependOnClassesThat().resideInAnyPackage(SPRING_WEB)
            .because("these libraries neither call nor serve HTTP");

    static final ArchRule HTTP_CLIENT_LIBRARIES_SERVE_NOTHING = noClasses().that()
            .resideInAnyPackage(HTTP_CLIENT_LIBRARIES)
            .should().dependOnClassesThat().resideInAnyPackage(SPRING_WEB_SERVER)
            .because("a client library makes calls with WebClient; serving HTTP is a service's part");

    private ModuleRules() {
    }
}
