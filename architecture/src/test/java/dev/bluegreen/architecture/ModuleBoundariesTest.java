package dev.bluegreen.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Checks the module boundaries on the main classes of every module: this module depends on all of them but
 * local-stack, which runs the services and may use them. Test classes are left out: the fixtures of
 * {@link ModuleRulesCatchViolationsTest} break the rules on purpose.
 */
@AnalyzeClasses(packages = "dev.bluegreen", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    @ArchTest
    static final ArchRule noClassOutsideAServiceUsesItsClasses = ModuleRules.SERVICES_KEEP_THEIR_CLASSES;

    @ArchTest
    static final ArchRule librariesOtherThanTheEventContractAndPipelineKafkaDoNotUseKafka =
            ModuleRules.LIBRARIES_STAY_CLEAR_OF_KAFKA;

    @ArchTest
    static final ArchRule librariesThatMakeNoHttpCallsDoNotUseSpringWeb =
            ModuleRules.PLAIN_LIBRARIES_STAY_CLEAR_OF_SPRING_WEB;

    @ArchTest
    static final ArchRule theHttpClientLibrariesServeNoHttp = ModuleRules.HTTP_CLIENT_LIBRARIES_SERVE_NOTHING;

    /** A module missing from the class path would pass every rule without being checked. */
    @ArchTest
    static void theChecksSeeEveryModulesClasses(JavaClasses classes) {
        assertThat(classes.stream().map(JavaClass::getPackageName)).contains("dev.bluegreen.agent",
                "dev.bluegreen.monitor", "dev.bluegreen.router", "dev.bluegreen.gateway", "dev.bluegreen.preflight",
                "dev.bluegreen.cli", "dev.bluegreen.sandbox", "dev.bluegreen.testing", "dev.bluegreen.events",
                "dev.bluegreen.lifecycle", "dev.bluegreen.apps", "dev.bluegreen.pipeline", "dev.bluegreen.kafka",
                "dev.bluegreen.dropletlab", "dev.bluegreen.digitalocean", "dev.bluegreen.ssh", "dev.bluegreen.probe",
                "dev.bluegreen.deployplan", "dev.bluegreen.trafficplan", "dev.bluegreen.commandline");
    }
}
