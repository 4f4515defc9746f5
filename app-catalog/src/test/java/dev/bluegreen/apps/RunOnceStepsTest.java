package dev.bluegreen.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Steps and hooks marked {@code run-once}, such as a database migration, as the apps file gives them. */
class RunOnceStepsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AppCatalogAutoConfiguration.class))
            .withPropertyValues(
                    "bluegreen.apps.shop.load-balancer-id=4de7ac8b-495b-4884-9a69-1050c6793cd6",
                    "bluegreen.apps.shop.repository=https://github.com/acme/shop.git",
                    "bluegreen.apps.shop.droplets.blue[0].id=101",
                    "bluegreen.apps.shop.droplets.blue[0].ssh=10.0.0.1:22",
                    "bluegreen.apps.shop.droplets.blue[0].http=http://10.0.0.1:80",
                    "bluegreen.apps.shop.droplets.green[0].id=102",
                    "bluegreen.apps.shop.droplets.green[0].ssh=10.0.0.2:22",
                    "bluegreen.apps.shop.droplets.green[0].http=http://10.0.0.2:80");

    @Test
    void aStepMarkedRunOnceIsReadAndTheOthersRunOnEveryDroplet() {
        runner.withPropertyValues(
                "bluegreen.apps.shop.deploy.steps[0].name=install",
                "bluegreen.apps.shop.deploy.steps[0].run=.venv/bin/pip install --requirement requirements.txt",
                "bluegreen.apps.shop.deploy.steps[1].name=migrate",
                "bluegreen.apps.shop.deploy.steps[1].run=.venv/bin/flask db upgrade",
                "bluegreen.apps.shop.deploy.steps[1].run-once=true").run(context -> {
                    List<StepSpec> steps = context.getBean(AppCatalog.class).require("shop").deploy().steps();

                    assertThat(steps).extracting(StepSpec::name, StepSpec::runsOnce)
                            .containsExactly(tuple("install", false),
                                    tuple("migrate", true));
                });
    }

    @Test
    void theDefaultDeadlineAllowsForTheOtherDropletsWaitingForTheRunOnceSteps() {
        StepSpec install = new StepSpec("install", "pip install .", Duration.ofMinutes(10), true);
        StepSpec migrate = new StepSpec("migrate", "flask db upgrade", Duration.ofMinutes(3), true, true);
        StepSpec restart = new StepSpec("restart", "kill -HUP 1", Duration.ofMinutes(1), true);

        DeploySpec withMigration = new DeploySpec("/srv/shop", List.of(install, migrate, restart), null, null, null,
                null, null);
        DeploySpec without = new DeploySpec("/srv/shop", List.of(install, restart), null, null, null, null, null);

        assertThat(without.deadline()).isEqualTo(Duration.ofMinutes(13));
        assertThat(withMigration.deadline()).as("all timeouts, two minutes, and install and migrate again")
                .isEqualTo(Duration.ofMinutes(16 + 13));
    }
}
