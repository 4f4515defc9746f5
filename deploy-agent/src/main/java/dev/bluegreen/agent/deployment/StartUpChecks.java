package dev.bluegreen.agent.deployment;

import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.pipeline.AppsFileVerified;

/**
 * Stops the agent at start-up, with one message that names the key and the fix, when the apps file holds what no
 * deployment could run safely: on top of what every service checks ({@link AppsFileVerified}: app names, sizes), a
 * mistyped placeholder, or one the shell would not take literally. Better than a deployment that fails, or runs a
 * ref as code, hours later.
 */
@Component
class StartUpChecks {

    StartUpChecks(AppCatalog apps, AppsFileVerified appsFile) {
        apps.names().forEach(name -> DeployPlan.check(name, apps.require(name)));
    }
}
