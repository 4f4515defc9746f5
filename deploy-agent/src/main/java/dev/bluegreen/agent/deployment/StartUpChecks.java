package dev.bluegreen.agent.deployment;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppsFileCheck;
import dev.bluegreen.apps.BadSetting;
import dev.bluegreen.deployplan.DeployPlan;

/**
 * Stops the agent at start-up, with one message that names the key and the fix, when the apps file holds what no
 * deployment could run safely: an app name that is no name, an oversize value, a mistyped placeholder, or one the
 * shell would not take literally. Better than a deployment that fails, or runs a ref as code, hours later.
 */
@Component
class StartUpChecks {

    StartUpChecks(AppCatalog apps, Environment environment) {
        AppsFileCheck.problems(apps, environment).stream().findFirst().ifPresent(problem -> {
            throw new BadSetting(problem.key(), problem.problem(), problem.fix());
        });
        apps.names().forEach(name -> DeployPlan.check(name, apps.require(name)));
    }
}
