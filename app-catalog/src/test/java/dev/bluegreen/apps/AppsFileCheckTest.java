package dev.bluegreen.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** Hostile values in the apps file: each is a problem that names the key and the fix, and never quotes much. */
@ExtendWith(OutputCaptureExtension.class)
class AppsFileCheckTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AppCatalogAutoConfiguration.class));

    @TempDir
    Path folder;

    @Test
    void aWellFormedAppsFileHasNoProblem() {
        runner.withPropertyValues(app("shop")).run(context -> assertThat(problems(context)).isEmpty());
    }

    @Test
    void anAppNameThatClimbsOutOfTheDirectoryItNamesIsAProblem() {
        runner.withPropertyValues(app("[../../etc]")).run(context -> assertThat(problems(context))
                .extracting(AppsFileCheck.Problem::problem).anySatisfy(problem -> assertThat(problem)
                        .contains("'../../etc'").contains("is no app name")));
    }

    @Test
    void anAppNameThatSpringWouldQuietlyShortenIsAProblemAsTheFileWroteIt() {
        // a right-to-left override in a key: Spring drops it and binds the app as "shop"
        runner.withPropertyValues(app("sh\u202eop")).run(context -> {
            assertThat(context.getBean(AppCatalog.class).names()).containsExactly("shop");
            assertThat(problems(context)).singleElement().satisfies(problem -> {
                assertThat(problem.key()).isEqualTo("bluegreen.apps");
                assertThat(problem.problem()).contains("'sh\\u202eop'").doesNotContain("\u202e");
                assertThat(problem.fix()).contains("lower-case letters, digits, '-' and '_'");
            });
        });
    }

    @Test
    void anAppNameInLookAlikeLettersOrCapitalsIsAProblem() {
        // the first letter of this "shop" is Cyrillic
        runner.withPropertyValues(app("[\u0455hop]")).run(context -> assertThat(problems(context))
                .extracting(AppsFileCheck.Problem::problem).anySatisfy(problem -> assertThat(problem)
                        .contains("'\\u0455hop'")));
        runner.withPropertyValues(app("[Shop]")).run(context -> assertThat(problems(context)).isNotEmpty());
        runner.withPropertyValues(app("[" + "a".repeat(64) + "]")).run(context -> assertThat(problems(context))
                .isNotEmpty());
    }

    @Test
    void anOversizeCommandIsAProblemThatGivesItsLengthButNotItsText() {
        String huge = "echo " + "x".repeat(AppsFileCheck.LONGEST_COMMAND);
        runner.withPropertyValues(app("shop")).withPropertyValues("bluegreen.apps.shop.deploy.steps[0].name=big",
                "bluegreen.apps.shop.deploy.steps[0].run=" + huge).run(context -> assertThat(problems(context))
                        .singleElement().satisfies(problem -> {
                            assertThat(problem.key()).isEqualTo("bluegreen.apps.shop.deploy.steps[0].run");
                            assertThat(problem.problem()).isEqualTo("bluegreen.apps.shop.deploy.steps[0].run is "
                                    + huge.length() + " characters long, more than the 32768 it may be.");
                            assertThat(problem.fix()).contains("script");
                        }));
    }

    @Test
    void aBranchThatGitWouldRefuseOrAShellWouldRunIsAProblem() {
        runner.withPropertyValues(app("shop")).withPropertyValues("bluegreen.apps.shop.branch=main;reboot")
                .run(context -> assertThat(problems(context)).singleElement().satisfies(problem -> assertThat(
                        problem.problem()).startsWith("bluegreen.apps.shop.branch is not a branch name: it may hold "
                                + "only ASCII letters")));
    }

    @Test
    void aStepNameWithALineBreakIsAProblem() {
        runner.withPropertyValues(app("shop")).withPropertyValues("bluegreen.apps.shop.deploy.steps[0].name=a\nb",
                "bluegreen.apps.shop.deploy.steps[0].run=true").run(context -> assertThat(problems(context))
                        .extracting(AppsFileCheck.Problem::key)
                        .containsExactly("bluegreen.apps.shop.deploy.steps[0].name"));
    }

    @Test
    void aKeyGivenTwiceStopsTheStartWithOneMessageThatSaysWhereAndNoStackTrace(CapturedOutput output)
            throws Exception {
        Path appsFile = Files.writeString(folder.resolve("apps.yml"), """
                bluegreen:
                  apps:
                    shop:
                      load-balancer-id: lb-1
                      repository: https://git.example/shop.git
                      repository: https://evil.example/shop.git
                """);
        SpringApplication service = new SpringApplication(Service.class);
        service.setWebApplicationType(WebApplicationType.NONE);

        try {
            service.run("--spring.config.import=file:" + appsFile, "--spring.main.banner-mode=off");
        }
        catch (RuntimeException expected) {
            // the failure is reported above it, as when a service starts
        }

        assertThat(output.toString()).contains("APPLICATION FAILED TO START", "A YAML settings file gives a key twice: "
                + "found duplicate key repository at line 6, column 7 (in the mapping that begins at line 4, "
                + "column 7).", "Give each key once").doesNotContain("\tat ", "evil.example");
    }

    private static List<AppsFileCheck.Problem> problems(org.springframework.context.ApplicationContext context) {
        return AppsFileCheck.problems(context.getBean(AppCatalog.class), context.getEnvironment());
    }

    private static String[] app(String name) {
        String key = name.startsWith("[") ? "bluegreen.apps" + name : "bluegreen.apps." + name;
        return new String[] { key + ".load-balancer-id=lb-1", key + ".repository=https://git.example/shop.git",
                key + ".droplets.blue[0].id=101", key + ".droplets.blue[0].ssh=10.0.0.1:22",
                key + ".droplets.blue[0].http=http://10.0.0.1:80", key + ".droplets.green[0].id=102",
                key + ".droplets.green[0].ssh=10.0.0.2:22", key + ".droplets.green[0].http=http://10.0.0.2:80" };
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AppCatalogAutoConfiguration.class)
    static class Service {
    }
}
