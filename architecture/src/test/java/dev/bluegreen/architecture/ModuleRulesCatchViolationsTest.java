package dev.bluegreen.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import dev.bluegreen.deployplan.archfixture.CallsOverHttp;
import dev.bluegreen.gateway.archfixture.CallsTheDeployAgent;
import dev.bluegreen.preflight.archfixture.ReadsTheRoutersSettings;
import dev.bluegreen.probe.archfixture.ServesHttp;
import dev.bluegreen.ssh.archfixture.PublishesToKafka;

/**
 * Each rule fails on a class that breaks it: the fixtures sit in the packages they would break, among the test
 * classes, which {@link ModuleBoundariesTest} leaves out. A rule that could not fail would pass for nothing.
 */
class ModuleRulesCatchViolationsTest {

    @Test
    void thePreflightUsingTheRoutersClassesAsItOnceDidBreaksTheServiceRule() {
        assertBroken(ModuleRules.SERVICES_KEEP_THEIR_CLASSES, ReadsTheRoutersSettings.class,
                "dev.bluegreen.router.TrafficRouterApplication");
    }

    @Test
    void aServiceUsingAnotherServicesClassesBreaksTheServiceRule() {
        assertBroken(ModuleRules.SERVICES_KEEP_THEIR_CLASSES, CallsTheDeployAgent.class,
                "dev.bluegreen.agent.DeployAgentApplication");
    }

    @Test
    void aLibraryTalkingToKafkaBreaksTheKafkaRule() {
        assertBroken(ModuleRules.LIBRARIES_STAY_CLEAR_OF_KAFKA, PublishesToKafka.class,
                "org.apache.kafka.clients.producer.Producer");
    }

    @Test
    void aLibraryWithoutHttpMakingACallBreaksTheSpringWebRule() {
        assertBroken(ModuleRules.PLAIN_LIBRARIES_STAY_CLEAR_OF_SPRING_WEB, CallsOverHttp.class,
                "org.springframework.web.reactive.function.client.WebClient");
    }

    @Test
    void anHttpClientLibraryServingHttpBreaksTheServerRule() {
        assertBroken(ModuleRules.HTTP_CLIENT_LIBRARIES_SERVE_NOTHING, ServesHttp.class,
                "org.springframework.web.reactive.function.server.RouterFunction");
    }

    /**
     * All the fixtures at once, each rule seeing classes in and out of its packages, as on the real class path; the
     * failure report must name the fixture that breaks the rule and what it uses.
     */
    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(ReadsTheRoutersSettings.class,
            CallsTheDeployAgent.class, PublishesToKafka.class, CallsOverHttp.class, ServesHttp.class);

    private static void assertBroken(ArchRule rule, Class<?> fixture, String used) {
        EvaluationResult result = rule.evaluate(FIXTURES);

        assertThat(result.hasViolation()).as("%s breaks %s", fixture.getSimpleName(), rule.getDescription()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(detail -> assertThat(detail)
                .contains(fixture.getName()).contains(used));
    }
}
